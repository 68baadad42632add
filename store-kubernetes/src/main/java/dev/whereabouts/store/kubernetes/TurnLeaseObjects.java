package dev.whereabouts.store.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and writes the turn Leases of {@link PoolTurnLeases}: {@code coordination.k8s.io/v1} Lease
 * objects whose {@code spec} names the holder ({@code holderIdentity}, empty when given back), when it
 * took or renewed the turn ({@code acquireTime}, {@code renewTime}) and for how long a turn lasts
 * should the holder die ({@code leaseDurationSeconds}), as Kubernetes' own leader Leases do.
 */
final class TurnLeaseObjects {

    private TurnLeaseObjects() {}

    static GenericKubernetesResource lease(ObjectMeta meta, Map<String, Object> spec) {
        GenericKubernetesResource lease = new GenericKubernetesResource();
        lease.setApiVersion("coordination.k8s.io/v1");
        lease.setKind("Lease");
        lease.setMetadata(meta);
        lease.setAdditionalProperty("spec", spec);
        return lease;
    }

    /** A spec held by {@code holder} since {@code renewTime} for {@code hold}; given back when {@code renewTime} is null. */
    static Map<String, Object> spec(String holder, Duration hold, Instant renewTime) {
        Map<String, Object> spec = new HashMap<>();
        spec.put("holderIdentity", holder);
        spec.put("leaseDurationSeconds", hold.toSeconds());
        if (renewTime != null) {
            spec.put("acquireTime", renewTime.toString());
            spec.put("renewTime", renewTime.toString());
        }
        return spec;
    }

    /** A copy of {@code lease}'s spec, to write it back unchanged. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> specOf(GenericKubernetesResource lease) {
        return lease.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec
                ? new HashMap<>((Map<String, Object>) spec) : new HashMap<>();
    }

    /** The holder's identity; empty when nobody holds {@code lease} or it cannot be read. */
    static Optional<String> holder(GenericKubernetesResource lease) {
        if (lease == null || !(lease.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec)
                || spec.get("holderIdentity") == null) {
            return Optional.empty();
        }
        return Optional.of(spec.get("holderIdentity").toString()).filter(h -> !h.isEmpty());
    }

    /** When the holder took or last renewed {@code lease}; empty when unheld or unreadable. */
    static Optional<Instant> renewTime(GenericKubernetesResource lease) {
        if (lease == null || !(lease.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec)
                || spec.get("renewTime") == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(String.valueOf(spec.get("renewTime"))));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * When the holder's turn runs out: its renewTime plus the hold it declared ({@code defaultHold}
     * when it declared none); empty when unheld or unreadable.
     */
    static Optional<Instant> expiry(GenericKubernetesResource lease, Duration defaultHold) {
        if (lease == null || !(lease.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec)) {
            return Optional.empty();
        }
        Duration hold = spec.get("leaseDurationSeconds") instanceof Number n && n.longValue() > 0
                ? Duration.ofSeconds(n.longValue()) : defaultHold;
        return renewTime(lease).map(t -> t.plus(hold)); // none: no holder
    }
}
