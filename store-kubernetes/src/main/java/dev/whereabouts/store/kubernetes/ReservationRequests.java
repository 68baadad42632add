package dev.whereabouts.store.kubernetes;

import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.store.kubernetes.client.KubernetesClients;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two requests of every ADD and DEL, reservation create and owner-checked delete, sent as
 * plain requests on the store's own client (same connection pool, authentication and timeouts).
 *
 * <p>Why not the typed DSL: it decodes every answer into a full object, and for a reservation only
 * the status code and the new {@code resourceVersion} matter. With 8 callers on the mock API that
 * decode (a tree read, then a bind through the any-setter of {@code GenericKubernetesResource}) and
 * the DSL's request path around it were about a quarter of the daemon's CPU per call
 * ({@code bench/cni/daemon-cpu.sh --jfr}). Everything else, rarer, still goes through the DSL.
 */
final class ReservationRequests {

    /** The body of a delete that only goes ahead while the object is still at a version. */
    private static final String DELETE_IF_AT = "{\"apiVersion\":\"v1\",\"kind\":\"DeleteOptions\","
            + "\"propagationPolicy\":\"Background\",\"preconditions\":{\"resourceVersion\":%s}}";

    private static final JsonMapper JSON = JsonMapper.shared();

    private final HttpClient http;
    private final String collection;
    private final String namespace;
    private final long timeoutMillis;

    ReservationRequests(KubernetesClient client, String namespace) {
        this.http = client.getHttpClient();
        String root = client.getMasterUrl().toString();
        this.collection = (root.endsWith("/") ? root : root + "/") + "apis/" + Kinds.API_VERSION + "/namespaces/"
                + URLEncoder.encode(namespace, StandardCharsets.UTF_8) + "/" + Kinds.RESERVATION.getPlural();
        this.namespace = namespace;
        this.timeoutMillis = client.getConfiguration().getRequestTimeout();
    }

    /**
     * Creates the object of {@code r}.
     *
     * @return the new object's {@code resourceVersion}, or null when an object of that name exists
     * @throws KubernetesClientException with the HTTP status of any other answer
     */
    String create(Reservation r) {
        byte[] body = KubernetesClients.serialization().asJson(ReservationObjects.newReservation(r, namespace))
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> answer = send(http.newHttpRequestBuilder().uri(collection)
                .post("application/json", body));
        return switch (answer.code()) {
            case 200, 201, 202 -> JSON.readTree(body(answer)).path("metadata").path("resourceVersion").asString("");
            case ApiErrors.CONFLICT -> null;
            default -> throw refused(answer);
        };
    }

    /** What an owner-checked delete found. */
    enum Deleted { DELETED, MISSING, MOVED }

    /** Deletes object {@code name} if it is still at {@code resourceVersion}. */
    Deleted delete(String name, String resourceVersion) {
        String options = DELETE_IF_AT.formatted(JSON.writeValueAsString(resourceVersion));
        HttpResponse<byte[]> answer = send(http.newHttpRequestBuilder()
                .uri(collection + "/" + URLEncoder.encode(name, StandardCharsets.UTF_8))
                .delete("application/json", options));
        return switch (answer.code()) {
            case 200, 202 -> Deleted.DELETED;
            case ApiErrors.NOT_FOUND -> Deleted.MISSING;
            case ApiErrors.CONFLICT -> Deleted.MOVED;
            default -> throw refused(answer);
        };
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) {
        CompletableFuture<HttpResponse<byte[]>> answer =
                http.sendAsync(request.timeout(timeoutMillis, TimeUnit.MILLISECONDS).build(), byte[].class);
        try {
            return answer.get();
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted", e);
        } catch (ExecutionException e) {
            throw new KubernetesClientException(e.getCause().toString(), e.getCause()); // no answer: no status code
        }
    }

    private static byte[] body(HttpResponse<byte[]> answer) {
        return answer.body() == null ? new byte[0] : answer.body();
    }

    /**
     * The API server's refusal as the DSL would have thrown it, with its status code and message;
     * the caller says which request it was ({@link ApiErrors#unavailable}).
     */
    private static KubernetesClientException refused(HttpResponse<byte[]> answer) {
        byte[] body = body(answer);
        String message;
        try {
            message = JSON.readTree(body).path("message").asString(new String(body, StandardCharsets.UTF_8));
        } catch (JacksonException notJson) {
            message = new String(body, StandardCharsets.UTF_8);
        }
        return new KubernetesClientException(message, answer.code(), null);
    }
}
