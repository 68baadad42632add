package dev.whereabouts.store.kubernetes;

import dev.whereabouts.ipam.api.StoreUnavailableException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.Supplier;

/**
 * Turns client failures into the SPI's terms. Decisions are taken on HTTP status codes only, never
 * on the reason text, so the store behaves the same against a real API server (409 "Conflict" /
 * "AlreadyExists", 422 for a failed patch test) and against fabric8's CRUD mock (409 "Invalid").
 */
final class ApiErrors {

    static final int NOT_FOUND = 404;
    static final int CONFLICT = 409;
    static final int UNPROCESSABLE = 422;

    private ApiErrors() {}

    /** Whether the write lost an optimistic-concurrency race or met an existing object. */
    static boolean conflict(KubernetesClientException e) {
        return e.getCode() == CONFLICT || e.getCode() == UNPROCESSABLE;
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
