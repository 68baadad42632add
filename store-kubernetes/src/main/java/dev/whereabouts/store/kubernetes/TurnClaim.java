package dev.whereabouts.store.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * A waiter's claim on the next turn of a pool, kept in the turn Lease's {@value #ANNOTATION}
 * annotation as {@code "<node identity> <until>"}. See {@link PoolTurnLeases} for why it exists.
 *
 * @param node the identity of the claiming node's store client
 * @param until when the claim stops counting, should the claimant die before it takes the turn
 */
record TurnClaim(String node, Instant until) {

    static final String ANNOTATION = "whereabouts.cni.cncf.io/next-turn";

    /** The claim on {@code lease}; empty when there is none or it cannot be read (then it does not count). */
    static Optional<TurnClaim> of(GenericKubernetesResource lease) {
        var annotations = lease == null ? null : lease.getMetadata().getAnnotations();
        String text = annotations == null ? null : annotations.get(ANNOTATION);
        if (text == null) {
            return Optional.empty();
        }
        String[] parts = text.split(" ", 2);
        try {
            return parts.length == 2 ? Optional.of(new TurnClaim(parts[0], Instant.parse(parts[1]))) : Optional.empty();
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The claimant of {@code lease}'s next turn, while its claim is fresh at {@code now}. */
    static Optional<String> claimant(GenericKubernetesResource lease, Instant now) {
        return of(lease).filter(c -> c.until().isAfter(now)).map(TurnClaim::node);
    }

    /** The annotation's value. */
    String text() {
        return node + " " + until;
    }
}
