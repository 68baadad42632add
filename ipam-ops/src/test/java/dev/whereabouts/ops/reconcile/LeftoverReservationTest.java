package dev.whereabouts.ops.reconcile;

import static dev.whereabouts.ops.reconcile.StoreFill.allocate;
import static dev.whereabouts.ops.reconcile.StoreFill.ip;
import static dev.whereabouts.ops.reconcile.StoreFill.owner;
import static dev.whereabouts.ops.reconcile.StoreFill.pool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ops.StepClock;
import dev.whereabouts.store.tck.InMemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reservations that no pool entry backs: removed only when seen twice, the grace period apart. */
class LeftoverReservationTest {


    /** No pods at all: the leftovers here are judged by backing only. */
    static final PodDirectory NO_PODS = podRef -> Optional.empty();

    private final InMemoryStore store = InMemoryStore.create();
    private final PoolKey pool = pool("10.1.0.0/24", "blue");
    private final StepClock clock = new StepClock();
    private final Reconciler reconciler = new Reconciler(store, NO_PODS, ReconcilerOptions.DEFAULTS, clock);

    @Test
    void aCrashLeftoverIsRemovedOnTheSecondSightingAfterTheGracePeriod() {
        Reservation crashed = new Reservation("blue", ip("10.1.0.9"), owner("c-x", "ns/x"));
        StoreFill.reserveOnly(store, pool, crashed);

        ReconcileReport first = reconciler.run();
        assertEquals(List.of(crashed), first.pendingReservations());
        assertEquals(List.of(), first.removedReservations());

        clock.advance(Duration.ofMinutes(1));
        ReconcileReport early = reconciler.run();
        assertEquals(List.of(crashed), early.pendingReservations());

        clock.advance(Duration.ofMinutes(1));
        ReconcileReport due = reconciler.run();
        assertEquals(List.of(crashed), due.removedReservations());
        assertEquals(List.of(), store.reservations());
    }

    @Test
    void anAddInFlightIsNotALeftover() {
        Reservation inFlight = new Reservation("blue", ip("10.1.0.5"), owner("c-5", "ns/five"));
        StoreFill.reserveOnly(store, pool, inFlight);
        assertEquals(List.of(inFlight), reconciler.run().pendingReservations());

        // The ADD's pool write lands before the next pass.
        allocate(store, pool, "10.1.0.5", owner("c-5", "ns/five"));
        clock.advance(Duration.ofHours(24));
        ReconcileReport next = new Reconciler(store, podRef -> Optional.of(alive(podRef, "10.1.0.5")),
                ReconcilerOptions.DEFAULTS, clock).run();
        assertEquals(List.of(), next.removedReservations());
        assertEquals(1, store.reservations().size());
    }

    @Test
    void aLeftoverInAnotherNetworkIsNotBackedByThisOne() {
        allocate(store, pool, "10.1.0.7", owner("c-7", "ns/seven"));
        Reservation other = new Reservation("red", ip("10.1.0.7"), owner("c-7", "ns/seven"));
        StoreFill.reserveOnly(store, pool, other);
        Reconciler r = new Reconciler(store, podRef -> Optional.of(alive(podRef, "10.1.0.7")),
                ReconcilerOptions.DEFAULTS, clock);
        assertEquals(List.of(other), r.run().pendingReservations());
        clock.advance(Duration.ofMinutes(5));
        assertEquals(List.of(other), r.run().removedReservations());
        assertTrue(store.reservations().stream().allMatch(x -> x.networkName().equals("blue")));
    }

    @Test
    void aFreshReconcilerHasNotSeenAnythingYet() {
        StoreFill.reserveOnly(store, pool, new Reservation("blue", ip("10.1.0.9"), owner("c-x", "ns/x")));
        reconciler.run();
        clock.advance(Duration.ofHours(1));
        Reconciler restarted = new Reconciler(store, NO_PODS, ReconcilerOptions.DEFAULTS, clock);
        assertEquals(1, restarted.run().pendingReservations().size());
        assertEquals(1, store.reservations().size());
    }

    @Test
    void aReservationALivePodListsIsKeptAndItsPoolEntryRestored() {
        // Upstream's defect: the ADD succeeded with the reservation but without the pool entry.
        Reservation orphan = new Reservation("blue", ip("10.1.0.9"), owner("", "ns/live"));
        StoreFill.reserveOnly(store, pool, orphan);
        Reconciler r = new Reconciler(store, podRef -> podRef.equals("ns/live")
                ? Optional.of(alive(podRef, "10.1.0.9")) : Optional.empty(), ReconcilerOptions.DEFAULTS, clock);

        ReconcileReport dry = r.dryRun();
        assertEquals(1, dry.restored().size());
        assertEquals(java.util.Map.of(), store.read(pool).allocations());

        for (int pass = 0; pass < 3; pass++) {
            ReconcileReport report = r.run();
            assertEquals(List.of(), report.removedReservations());
            assertEquals(List.of(), report.pendingReservations());
            clock.advance(Duration.ofHours(1));
        }
        assertEquals(List.of(orphan), store.reservations());
        assertEquals(orphan.owner(), store.read(pool).allocations().get(ip("10.1.0.9")));
        assertTrue(r.run().restored().isEmpty(), "backed now: nothing left to restore");
    }

    @Test
    void aReservationWhosePodNoLongerListsTheAddressIsStillALeftover() {
        Reservation old = new Reservation("blue", ip("10.1.0.9"), owner("c-x", "ns/moved"));
        StoreFill.reserveOnly(store, pool, old);
        Reconciler r = new Reconciler(store, podRef -> Optional.of(alive(podRef, "10.1.0.10")),
                ReconcilerOptions.DEFAULTS, clock);
        r.run();
        clock.advance(Duration.ofMinutes(5));
        assertEquals(List.of(old), r.run().removedReservations());
        assertEquals(java.util.Map.of(), store.read(pool).allocations());
    }

    private static PodState alive(String podRef, String ipText) {
        return new PodState(podRef, "uid", Instant.EPOCH, "Running", false, false,
                Optional.of(java.util.Set.of(ip(ipText))), java.util.Set.of());
    }

}
