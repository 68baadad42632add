package dev.whereabouts.ipam.engine.alloc;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.AttachmentId;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolSnapshot;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.spi.CommitOutcome;
import dev.whereabouts.ipam.spi.IpamStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read, decide, commit loop against one pool. A {@code Conflict} means someone else wrote
 * first: back off and decide again on a fresh read. A {@code ReservationTaken} means another range
 * holds that address cluster-wide: skip it and take the next candidate.
 *
 * @param store where the pool lives
 * @param overlapping whether allocations also claim a cluster-wide {@link Reservation}
 */
public record Allocator(IpamStore store, boolean overlapping) {

    private static final Logger LOG = LoggerFactory.getLogger(Allocator.class);

    /**
     * What an ADD got in one pool.
     *
     * @param ip the address
     * @param fresh whether this call allocated it (false when an idempotent ADD found it)
     */
    public record Taken(PoolKey key, IpAddress ip, boolean fresh) {}

    /** Allocates the lowest free address of {@code plan} to {@code owner}, or returns the one it already holds. */
    public Taken allocate(RangePlan plan, Owner owner, Deadline deadline) {
        PoolKey key = plan.key();
        Set<IpAddress> skip = new HashSet<>();
        deadline.resetBackoff();
        while (true) {
            deadline.check("allocating in pool " + key);
            PoolSnapshot snapshot = store.read(key);
            Optional<Map.Entry<IpAddress, Owner>> existing = snapshot.allocations().entrySet().stream()
                    .filter(e -> e.getValue().sameAttachment(owner)).findFirst();
            IpAddress ip;
            boolean fresh;
            if (existing.isPresent()) {
                ip = existing.get().getKey();
                fresh = false;
                if (existing.get().getValue().equals(owner)) {
                    return new Taken(key, ip, false);
                }
            } else {
                ip = LowestFree.find(plan, snapshot.allocations(), skip).orElseThrow(() -> new IpamException(
                        IpamException.POOL_EXHAUSTED, plan.exhaustedMessage(), "pool " + key));
                fresh = true;
            }
            List<Reservation> reserve = overlapping ? List.of(new Reservation(key.networkName(), ip, owner)) : List.of();
            PoolChange change = new PoolChange(List.of(new Allocation(ip, owner)), List.of(), reserve, List.of());
            switch (store.commit(key, snapshot.version(), change)) {
                case CommitOutcome.Committed c -> {
                    LOG.debug("{} {} in pool {} for {}", fresh ? "allocated" : "re-assigned", ip, key, owner);
                    return new Taken(key, ip, fresh);
                }
                case CommitOutcome.Conflict c -> deadline.backoff();
                case CommitOutcome.ReservationTaken t -> {
                    if (!fresh) {
                        throw new IpamException(IpamException.INTERNAL, "address " + ip + " of " + owner
                                + " is reserved by " + t.holder().owner(), "pool " + key);
                    }
                    LOG.debug("{} is reserved by {} through another range; skipping it", ip, t.holder().owner());
                    skip.add(ip);
                }
            }
        }
    }

    /** Releases every address the attachment holds in the pool; returns what was released. */
    public List<IpAddress> release(PoolKey key, AttachmentId attachment, Deadline deadline) {
        return releaseWhere(key, (ip, o) -> attachment.owns(o), deadline);
    }

    /** Releases {@code ip} if it is still held by {@code owner}'s attachment (rollback of a partial ADD). */
    public List<IpAddress> releaseIp(PoolKey key, IpAddress ip, Owner owner, Deadline deadline) {
        return releaseWhere(key, (a, o) -> a.equals(ip) && o.sameAttachment(owner), deadline);
    }

    private List<IpAddress> releaseWhere(PoolKey key, BiPredicate<IpAddress, Owner> match, Deadline deadline) {
        deadline.resetBackoff();
        while (true) {
            deadline.check("releasing in pool " + key);
            PoolSnapshot snapshot = store.read(key);
            List<IpAddress> remove = new ArrayList<>();
            List<Reservation> unreserve = new ArrayList<>();
            for (Map.Entry<IpAddress, Owner> e : snapshot.allocations().entrySet()) {
                if (match.test(e.getKey(), e.getValue())) {
                    remove.add(e.getKey());
                    if (overlapping) {
                        unreserve.add(new Reservation(key.networkName(), e.getKey(), e.getValue()));
                    }
                }
            }
            if (remove.isEmpty()) {
                return List.of();
            }
            PoolChange change = new PoolChange(List.of(), remove, List.of(), unreserve);
            if (store.commit(key, snapshot.version(), change) instanceof CommitOutcome.Committed) {
                LOG.debug("released {} in pool {}", remove, key);
                return remove;
            }
            deadline.backoff();
        }
    }
}
