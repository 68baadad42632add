package dev.whereabouts.store.tck;

import static dev.whereabouts.store.tck.Laws.OTHER_POOL;
import static dev.whereabouts.store.tck.Laws.POOL;
import static dev.whereabouts.store.tck.Laws.allocation;
import static dev.whereabouts.store.tck.Laws.committed;
import static dev.whereabouts.store.tck.Laws.ip;
import static dev.whereabouts.store.tck.Laws.owner;
import static dev.whereabouts.store.tck.Laws.reservation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.spi.CommitOutcome;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The cluster-wide reservation of one address: create-if-absent across pools.
 *
 * @since 0.1
 */
public interface ReservationLaws extends ContractSubject {

    /** Two owners can never both hold the reservation of one address, even from different pools. */
    @Test
    default void aReservationIsCreateIfAbsent() {
        Reservation mine = reservation(POOL, "10.20.0.1", owner(1));
        committed(store().commit(POOL, PoolVersion.ABSENT, Laws.put(List.of(allocation("10.20.0.1", 1)), List.of(mine))));

        Reservation theirs = reservation(OTHER_POOL, "10.20.0.1", owner(2));
        CommitOutcome outcome = newClient().commit(OTHER_POOL, PoolVersion.ABSENT,
                Laws.put(List.of(allocation("10.20.0.1", 2)), List.of(theirs)));
        var taken = assertInstanceOf(CommitOutcome.ReservationTaken.class, outcome,
                "a second owner must not get a reserved address");
        assertEquals(owner(1), taken.holder().owner(), "the outcome must name the holder");
        assertFalse(store().read(OTHER_POOL).exists(), "a refused change must write nothing");
        assertEquals(List.of(mine), store().reservations());
    }

    /** A refused change writes none of its parts: no allocation, no other reservation. */
    @Test
    default void aRefusedChangeWritesNothing() {
        committed(store().commit(POOL, PoolVersion.ABSENT,
                Laws.put(List.of(allocation("10.20.0.2", 1)), List.of(reservation(POOL, "10.20.0.2", owner(1))))));
        PoolVersion v = store().read(OTHER_POOL).version();
        CommitOutcome outcome = store().commit(OTHER_POOL, v, Laws.put(
                List.of(allocation("10.20.0.1", 2), allocation("10.20.0.2", 2)),
                List.of(reservation(OTHER_POOL, "10.20.0.1", owner(2)), reservation(OTHER_POOL, "10.20.0.2", owner(2)))));
        assertInstanceOf(CommitOutcome.ReservationTaken.class, outcome);
        assertFalse(store().read(OTHER_POOL).exists());
        assertEquals(1, store().reservations().size(), "the free address of the refused change must not stay reserved");
    }

    /** Reservations are scoped by network name: the same address in two networks is two claims. */
    @Test
    default void reservationsAreScopedByNetworkName() {
        PoolKey tenantA = PoolKey.of(Cidr.parse("10.20.0.0/24"), "tenant-a");
        PoolKey tenantB = PoolKey.of(Cidr.parse("10.20.0.0/24"), "tenant-b");
        committed(store().commit(tenantA, PoolVersion.ABSENT,
                Laws.put(List.of(allocation("10.20.0.1", 1)), List.of(reservation(tenantA, "10.20.0.1", owner(1))))));
        committed(store().commit(tenantB, PoolVersion.ABSENT,
                Laws.put(List.of(allocation("10.20.0.1", 2)), List.of(reservation(tenantB, "10.20.0.1", owner(2))))));
        assertEquals(2, store().reservations().size());
    }

    /** The same attachment may claim its own reservation again, e.g. from a new sandbox. */
    @Test
    default void theSameAttachmentMayRefreshItsReservation() {
        committed(store().commit(POOL, PoolVersion.ABSENT,
                Laws.put(List.of(allocation("10.20.0.1", 1)), List.of(reservation(POOL, "10.20.0.1", owner(1))))));
        var resandboxed = owner(1).withContainerId("sandbox-2");
        committed(store().commit(OTHER_POOL, PoolVersion.ABSENT, Laws.put(
                List.of(new dev.whereabouts.ipam.api.Allocation(ip("10.20.0.1"), resandboxed)),
                List.of(reservation(OTHER_POOL, "10.20.0.1", resandboxed)))));
        List<Reservation> all = store().reservations();
        assertEquals(1, all.size());
        assertEquals("sandbox-2", all.getFirst().owner().containerId(), "a refreshed reservation records the new container");
    }

    /** Unreserving removes only a reservation held by the same attachment. */
    @Test
    default void unreserveLeavesOtherHoldersAlone() {
        Reservation mine = reservation(POOL, "10.20.0.1", owner(1));
        PoolVersion v = committed(store().commit(POOL, PoolVersion.ABSENT, Laws.put(List.of(allocation("10.20.0.1", 1)), List.of(mine))));
        committed(store().commit(POOL, v, new PoolChange(List.of(), List.of(), List.of(),
                List.of(reservation(POOL, "10.20.0.1", owner(2))))));
        assertEquals(List.of(mine), store().reservations(), "someone else's unreserve must not remove my reservation");

        PoolVersion v2 = store().read(POOL).version();
        committed(store().commit(POOL, v2, new PoolChange(List.of(), List.of(ip("10.20.0.1")), List.of(), List.of(mine))));
        assertTrue(store().reservations().isEmpty());
        assertTrue(store().read(POOL).allocations().isEmpty());
    }

    /** removeReservation removes a leftover only for its holder, and reports what it did. */
    @Test
    default void removeReservationChecksTheHolder() {
        Reservation leftover = reservation(POOL, "10.20.0.9", owner(1));
        committed(store().commit(POOL, PoolVersion.ABSENT, Laws.put(List.of(), List.of(leftover))));
        assertFalse(store().removeReservation(reservation(POOL, "10.20.0.9", owner(2))));
        assertEquals(Set.of(leftover), Set.copyOf(store().reservations()));
        assertTrue(newClient().removeReservation(leftover));
        assertFalse(store().removeReservation(leftover), "a second removal finds nothing");
        assertTrue(store().reservations().isEmpty());
    }
}
