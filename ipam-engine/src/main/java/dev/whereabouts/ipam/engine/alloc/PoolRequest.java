package dev.whereabouts.ipam.engine.alloc;

import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiPredicate;

/**
 * One caller's wish for one pool, waiting in that pool's {@link PoolLane}. The lane merges the
 * requests of concurrent callers into one read-decide-write; each request keeps its own answer, its
 * own deadline and, for an allocation, its own set of addresses found reserved elsewhere.
 */
sealed interface PoolRequest {

    Deadline deadline();

    /** Where the answer goes: a value, or the failure of this request alone. */
    CompletableFuture<?> answer();

    /** Fails this request alone; the rest of its batch goes on. */
    default void fail(RuntimeException e) {
        answer().completeExceptionally(e);
    }

    default boolean answered() {
        return answer().isDone();
    }

    /**
     * An ADD in this pool: the address the attachment already holds, or the lowest free one.
     *
     * @param overlapping whether the allocation also claims a cluster-wide reservation
     */
    record Allocate(RangePlan plan, Owner owner, boolean overlapping, Deadline deadline,
            Set<IpAddress> skip, CompletableFuture<Allocator.Taken> answer) implements PoolRequest {

        Allocate(RangePlan plan, Owner owner, boolean overlapping, Deadline deadline) {
            this(plan, owner, overlapping, deadline, new HashSet<>(), new CompletableFuture<>());
        }
    }

    /**
     * A DEL, GC or rollback in this pool: removes every allocation {@code match} accepts.
     *
     * @param container the container id of every owner {@code match} accepts, when there is one: then
     *     only that container's entries are tested, not the whole pool
     * @param overlapping whether released allocations also give up their reservation
     */
    record Release(BiPredicate<IpAddress, Owner> match, Optional<String> container, boolean overlapping,
            Deadline deadline, CompletableFuture<List<IpAddress>> answer) implements PoolRequest {

        Release(BiPredicate<IpAddress, Owner> match, Optional<String> container, boolean overlapping, Deadline deadline) {
            this(match, container, overlapping, deadline, new CompletableFuture<>());
        }
    }
}
