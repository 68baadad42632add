package dev.whereabouts.ipam.engine.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.spi.CommitOutcome;
import dev.whereabouts.store.tck.InMemoryStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An ADD answered from an entry its attachment already holds, where ranges may overlap: a store that
 * writes the pool before the reservations can leave such an entry without its reservation after a
 * crash, so the answer waits for the claim; and if an overlapping range gave the address away in
 * between, the ADD gets a fresh one instead of failing until the reconciler runs.
 */
class HeldEntryTest {

    static final Cidr RANGE = Cidr.parse("10.50.0.0/24");
    static final PoolKey KEY = PoolKey.of(RANGE, "");
    static final PoolKey OVERLAPPING = PoolKey.of(Cidr.parse("10.50.0.0/25"), "");
    static final IpAddress X = IpAddress.parse("10.50.0.1");
    static final Owner A = new Owner("ctr-a", "net1", "ns/a");
    static final Owner B = new Owner("ctr-b", "net1", "ns/b");

    final InMemoryStore store = InMemoryStore.create();
    final Allocator allocator = new Allocator(store, true);
    final RangePlan plan = RangePlan.of(KEY, RANGE, Optional.empty(), Optional.empty(), List.of(), List.of());

    /** The state a crash between the pool write and the reservation create leaves. */
    void entryWithoutItsReservation() {
        assertInstanceOf(CommitOutcome.Committed.class, store.commit(KEY, PoolVersion.ABSENT, PoolChange.put(new Allocation(X, A))));
    }

    @Test
    void aRetriedAddGetsItsAddressWithTheReservationClaimedAgain() {
        entryWithoutItsReservation();
        Allocator.Taken taken = allocator.allocate(plan, A, Deadline.after(Duration.ofSeconds(5)));
        assertEquals(X, taken.ip());
        assertEquals(List.of(new Reservation("", X, A)), store.reservations());
    }

    @Test
    void aRetriedAddWhoseAddressAnOverlappingRangeGaveAwayGetsAFreshOneAndDropsTheLostEntry() {
        entryWithoutItsReservation();
        assertInstanceOf(CommitOutcome.Committed.class, store.commit(OVERLAPPING, PoolVersion.ABSENT,
                new PoolChange(List.of(new Allocation(X, B)), List.of(), List.of(new Reservation("", X, B)), List.of())));
        Allocator.Taken taken = allocator.allocate(plan, A, Deadline.after(Duration.ofSeconds(5)));
        IpAddress fresh = IpAddress.parse("10.50.0.2");
        assertEquals(fresh, taken.ip());
        assertEquals(java.util.Map.of(fresh, A), store.read(KEY).allocations());
        assertEquals(java.util.Set.of(new Reservation("", X, B), new Reservation("", fresh, A)),
                java.util.Set.copyOf(store.reservations()));
    }
}
