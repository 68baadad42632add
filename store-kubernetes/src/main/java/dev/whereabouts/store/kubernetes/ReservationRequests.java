package dev.whereabouts.store.kubernetes;

import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.store.kubernetes.client.KubernetesClients;
import io.fabric8.kubernetes.client.KubernetesClientException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two requests of every ADD and DEL, reservation create and owner-checked delete, as plain
 * requests ({@link ApiTransport}) whose answers are read for their status and new
 * {@code resourceVersion} only.
 */
final class ReservationRequests {

    /** The body of a delete that only goes ahead while the object is still at a version. */
    private static final String DELETE_IF_AT = "{\"apiVersion\":\"v1\",\"kind\":\"DeleteOptions\","
            + "\"propagationPolicy\":\"Background\",\"preconditions\":{\"resourceVersion\":%s}}";

    private final ApiTransport api;
    private final String collection;
    private final String namespace;

    ReservationRequests(ApiTransport api, String namespace) {
        this.api = api;
        this.collection = api.collection(Kinds.RESERVATION, namespace);
        this.namespace = namespace;
    }

    /**
     * Creates the object of {@code r}.
     *
     * @return the new object's {@code resourceVersion}, or null when an object of that name exists
     * @throws KubernetesClientException with the HTTP status of any other answer
     */
    String create(Reservation r) {
        String body = KubernetesClients.serialization().asJson(ReservationObjects.newReservation(r, namespace));
        Http1Client.Answer answer = api.send("POST", collection, body);
        return switch (answer.code()) {
            case 200, 201, 202 -> ApiTransport.resourceVersion(answer);
            case ApiErrors.CONFLICT -> null;
            default -> throw ApiTransport.refused(answer);
        };
    }

    /** What an owner-checked delete found. */
    enum Deleted { DELETED, MISSING, MOVED }

    /** Deletes object {@code name} if it is still at {@code resourceVersion}. */
    Deleted delete(String name, String resourceVersion) {
        String options = DELETE_IF_AT.formatted(JsonMapper.shared().writeValueAsString(resourceVersion));
        Http1Client.Answer answer = api.send("DELETE", ApiTransport.object(collection, name), options);
        return switch (answer.code()) {
            case 200, 202 -> Deleted.DELETED;
            case ApiErrors.NOT_FOUND -> Deleted.MISSING;
            case ApiErrors.CONFLICT -> Deleted.MOVED;
            default -> throw ApiTransport.refused(answer);
        };
    }
}
