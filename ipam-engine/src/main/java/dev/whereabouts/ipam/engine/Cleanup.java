package dev.whereabouts.ipam.engine;

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
