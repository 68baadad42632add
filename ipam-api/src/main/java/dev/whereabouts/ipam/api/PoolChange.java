package dev.whereabouts.ipam.api;

import java.util.List;
import java.util.Objects;

/**
 * What one conditional write does to a pool and to the cluster-wide reservations.
 *
 * <p>A store applies a change all or nothing, or, when its backend cannot do that in one step, in
 * an order that can never produce a duplicate, undoing its earlier steps when a later one is
 * refused (see {@link dev.whereabouts.ipam.spi.IpamStore}).
 *
 * @param put allocations to create or overwrite (an overwrite moves an entry to a new container id)
 * @param remove addresses whose allocation is removed; an address that is not allocated is ignored
 * @param reserve reservations to create if absent; an existing one held by the
 *     {@linkplain Owner#sameAttachment same attachment} is refreshed, one held by anyone else makes
 *     the whole change fail with {@code ReservationTaken}
 * @param unreserve reservations to remove if they are still held by the same attachment; others are
 *     left alone
 * @since 0.1
 */
public record PoolChange(List<Allocation> put, List<IpAddress> remove, List<Reservation> reserve,
        List<Reservation> unreserve) {

    /** Copies the lists. */
    public PoolChange {
        put = List.copyOf(Objects.requireNonNull(put, "put"));
        remove = List.copyOf(Objects.requireNonNull(remove, "remove"));
        reserve = List.copyOf(Objects.requireNonNull(reserve, "reserve"));
        unreserve = List.copyOf(Objects.requireNonNull(unreserve, "unreserve"));
    }

    /** A change that only writes allocations. */
    public static PoolChange put(Allocation... allocations) {
        return new PoolChange(List.of(allocations), List.of(), List.of(), List.of());
    }

    /** A change that only removes allocations. */
    public static PoolChange remove(IpAddress... addresses) {
        return new PoolChange(List.of(), List.of(addresses), List.of(), List.of());
    }

    /** Whether the change touches nothing. */
    public boolean isEmpty() {
        return put.isEmpty() && remove.isEmpty() && reserve.isEmpty() && unreserve.isEmpty();
    }
}
