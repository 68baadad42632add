package dev.whereabouts.store.kubernetes;

import dev.whereabouts.ipam.api.StoreUnavailableException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.Supplier;

/**
 * Turns client failures into the SPI's terms. Decisions are taken on HTTP status codes, not on the
 * reason text, so the store behaves the same against a real API server (409 "Conflict" /
 * "AlreadyExists", 422 for a failed patch test) and against fabric8's CRUD mock (409 "Invalid");
 * the one exception is an old API server's answer to an object etcd refused ({@link #tooLarge}).
 */
final class ApiErrors {

    static final int NOT_FOUND = 404;
    static final int CONFLICT = 409;
    static final int UNPROCESSABLE = 422;
    static final int TOO_LARGE = 413;
    /** etcd's error text for a request over its {@code --max-request-bytes}. */
    static final String ETCD_TOO_LARGE = "etcdserver: request is too large";

    private ApiErrors() {}

    /** Whether the write lost an optimistic-concurrency race or met an existing object. */
    static boolean conflict(KubernetesClientException e) {
        return e.getCode() == CONFLICT || e.getCode() == UNPROCESSABLE;
    }

    /**
     * Whether the API server refused a write as too large for it or its etcd: 413 from the server's
     * own request limit (3 MiB of JSON) and, since Kubernetes 1.11, from etcd's (1.5 MiB by
     * default). Older servers answered etcd's refusal as a 500 whose only mark is etcd's text, so
     * that one case is told by its text.
     */
    static boolean tooLarge(KubernetesClientException e) {
        return e.getCode() == TOO_LARGE || (e.getCode() == 500 && String.valueOf(e.getMessage()).contains(ETCD_TOO_LARGE));
    }

    static StoreUnavailableException unavailable(String what, RuntimeException e) {
        int code = e instanceof KubernetesClientException k ? k.getCode() : 0;
        String status = code > 0 ? " (HTTP " + code + ")" : "";
        return new StoreUnavailableException("kubernetes: " + what + " failed" + status + ": " + e.getMessage(), e);
    }

    /** Runs a call whose only expected failure is an unreachable or failing API server. */
    static <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (KubernetesClientException e) {
            throw unavailable(what, e);
        }
    }
}
