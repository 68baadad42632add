package dev.whereabouts.ipam.engine;

import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.api.AttachmentId;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.StoreUnavailableException;
import dev.whereabouts.ipam.engine.alloc.Allocator;
import dev.whereabouts.ipam.engine.alloc.Deadline;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Best-effort release for DEL and GC: every pool is tried even after a failure, and the failures
 * are reported together at the end (CNI asks for as much cleanup as possible).
 */
final class Cleanup {

    private static final Logger LOG = LoggerFactory.getLogger(Cleanup.class);

    private Cleanup() {}

    static void releaseEverywhere(Allocator allocator, Set<PoolKey> pools, AttachmentId attachment,
            Deadline deadline, List<IpamException> errors) {
        for (PoolKey key : pools) {
            try {
                allocator.release(key, attachment, deadline);
            } catch (IpamException e) {
                LOG.error("releasing {} in pool {} failed", attachment, key, e);
                errors.add(new IpamException(e.code(), "releasing " + attachment + " in pool " + key + ": "
                        + e.getMessage(), e.details(), e));
            }
        }
    }

    /**
     * Removes the reservations the attachment still holds in these pools' ranges once its pool
     * entries are gone. They exist only after an ADD whose outcome was unknown: the store created a
     * reservation, then neither the pool write nor its rollback reached it. Reading every
     * reservation is costly, so callers do this only for such attachments (journal state ADDING,
     * or a queued release).
     */
    static void sweepReservations(IpamStore store, Set<PoolKey> pools, AttachmentId attachment,
            List<IpamException> errors) {
        try {
            for (Reservation r : store.reservations()) {
                if (attachment.owns(r.owner()) && pools.stream()
                        .anyMatch(p -> p.networkName().equals(r.networkName()) && p.range().contains(r.ip()))
                        && store.removeReservation(r)) {
                    LOG.info("removed reservation {} left by an ADD of {} whose outcome was unknown", r.ip(), attachment);
                }
            }
        } catch (IpamException e) {
            errors.add(new IpamException(e.code(), "sweeping the reservations of " + attachment + ": " + e.getMessage(),
                    e.details(), e));
        }
    }

    static IpamException failure(String what, List<IpamException> errors) {
        StringBuilder details = new StringBuilder();
        for (IpamException e : errors) {
            details.append(details.isEmpty() ? "" : "; ").append(e.getMessage());
            if (!e.details().isEmpty()) {
                details.append(" (").append(e.details()).append(')');
            }
        }
        if (errors.stream().anyMatch(e -> e.code() == IpamException.TRY_AGAIN_LATER)) {
            return new StoreUnavailableException(what + ": " + details, errors.getFirst());
        }
        return new IpamException(errors.getFirst().code(), what + " failed", details.toString(), errors.getFirst());
    }
}
