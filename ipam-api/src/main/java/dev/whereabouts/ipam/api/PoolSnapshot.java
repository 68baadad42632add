package dev.whereabouts.ipam.api;

import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;

/**
 * A versioned read of one pool: its allocations and the version to hand back to a conditional write.
 *
 * @param key which pool
 * @param version the store's version of what was read ({@link PoolVersion#ABSENT} if the pool does
 *     not exist yet, in which case {@code allocations} is empty)
 * @param allocations address to owner, sorted by address
 * @since 0.1
 */
public record PoolSnapshot(PoolKey key, PoolVersion version, NavigableMap<IpAddress, Owner> allocations) {

    /** Copies the allocations into an immutable {@link SortedAllocations}. */
    public PoolSnapshot {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(version, "version");
        allocations = SortedAllocations.copyOf(allocations);
    }

    /** The snapshot of a pool that does not exist yet. */
    public static PoolSnapshot absent(PoolKey key) {
        return new PoolSnapshot(key, PoolVersion.ABSENT, SortedAllocations.empty());
    }

    /** Builds a snapshot from any map of allocations. */
    public static PoolSnapshot of(PoolKey key, PoolVersion version, Map<IpAddress, Owner> allocations) {
        return new PoolSnapshot(key, version, SortedAllocations.copyOf(allocations));
    }

    /** Whether the pool exists in the store. */
    public boolean exists() {
        return !version.absent();
    }

    /** The allocations held by one CNI attachment (usually zero or one). */
    public List<Allocation> heldBy(AttachmentId attachment) {
        return allocations.entrySet().stream()
                .filter(e -> attachment.owns(e.getValue()))
                .map(e -> new Allocation(e.getKey(), e.getValue()))
                .toList();
    }

    /** Every allocation, in address order. */
    public List<Allocation> asList() {
        return allocations.entrySet().stream().map(e -> new Allocation(e.getKey(), e.getValue())).toList();
    }
}
