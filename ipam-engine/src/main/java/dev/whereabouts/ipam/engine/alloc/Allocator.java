package dev.whereabouts.ipam.engine.alloc;

import dev.whereabouts.ipam.api.AttachmentId;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.spi.IpamStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ADD and release against one pool, through the pool's {@link PoolLane}: concurrent callers of one
 * process share one read-decide-write (group commit). A {@code Conflict} means someone else wrote
 * first: the batch decides again on a fresh read. A {@code ReservationTaken} means another range
 * holds that address cluster-wide: only the request that wanted it takes its next candidate.
 *
 * @param store where the pool lives
 * @param overlapping whether allocations also claim a cluster-wide {@link dev.whereabouts.ipam.api.Reservation}
 * @param lanes the group-commit lanes shared by every caller of this engine
 */
public record Allocator(IpamStore store, boolean overlapping, PoolLanes lanes) {

    private static final Logger LOG = LoggerFactory.getLogger(Allocator.class);

    /** An allocator with lanes of its own (tests and one-shot tools). */
    public Allocator(IpamStore store, boolean overlapping) {
        this(store, overlapping, new PoolLanes());
    }

    /**
     * What an ADD got in one pool.
     *
     * @param ip the address
     * @param fresh whether this call allocated it (false when an idempotent ADD found it)
     */
    public record Taken(PoolKey key, IpAddress ip, boolean fresh) {}

    /** Allocates the lowest free address of {@code plan} to {@code owner}, or returns the one it already holds. */
    public Taken allocate(RangePlan plan, Owner owner, Deadline deadline) {
        PoolRequest.Allocate request = new PoolRequest.Allocate(plan, owner, overlapping, deadline);
        lanes.lane(store, plan.key()).serve(request);
        Taken taken = answer(request.answer());
        LOG.debug("{} {} in pool {} for {}", taken.fresh() ? "allocated" : "holds", taken.ip(), taken.key(), owner);
        return taken;
    }

    /** Releases every address the attachment holds in the pool; returns what was released. */
    public List<IpAddress> release(PoolKey key, AttachmentId attachment, Deadline deadline) {
        return releaseWhere(key, (ip, o) -> attachment.owns(o), Optional.of(attachment.containerId()), deadline);
    }

    /** Releases {@code ip} if it is still held by {@code owner}'s attachment (rollback of a partial ADD). */
    public List<IpAddress> releaseIp(PoolKey key, IpAddress ip, Owner owner, Deadline deadline) {
        return releaseWhere(key, (a, o) -> a.equals(ip) && o.sameAttachment(owner), Optional.empty(), deadline);
    }

    private List<IpAddress> releaseWhere(PoolKey key, BiPredicate<IpAddress, Owner> match, Optional<String> container,
            Deadline deadline) {
        PoolRequest.Release request = new PoolRequest.Release(match, container, overlapping, deadline);
        lanes.lane(store, key).serve(request);
        List<IpAddress> released = answer(request.answer());
        if (!released.isEmpty()) {
            LOG.debug("released {} in pool {}", released, key);
        }
        return released;
    }

    private static <T> T answer(CompletableFuture<T> answer) {
        return switch (answer.state()) {
            case SUCCESS -> answer.resultNow();
            case FAILED -> throw answer.exceptionNow() instanceof RuntimeException e ? e
                    : new IllegalStateException(answer.exceptionNow());
            default -> throw new IllegalStateException("a pool request came back without an answer");
        };
    }
}
