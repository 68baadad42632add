package dev.whereabouts.ops.reconcile;

import static dev.whereabouts.ops.reconcile.StoreFill.allocate;
import static dev.whereabouts.ops.reconcile.StoreFill.ip;
import static dev.whereabouts.ops.reconcile.StoreFill.owner;
import static dev.whereabouts.ops.reconcile.StoreFill.pool;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.store.tck.InMemoryStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Removal matches address and exact owner, never the pod name alone (upstream #176). */
class PoolReleaserTest {

    private final InMemoryStore store = InMemoryStore.create();
    private final PoolKey key = pool("10.7.0.0/24", "net-a");

    @Test
    void removesOnlyEntriesThatStillHoldTheSameAddressForTheSameOwner() {
        Owner oldSandbox = owner("c-old", "ns/sts-0");
        allocate(store, key, "10.7.0.5", oldSandbox);
        allocate(store, key, "10.7.0.6", owner("c-b", "ns/b"));
        allocate(store, key, "10.7.0.7", owner("c-c", "ns/c"));
        // Since it was judged, .5 moved to the pod's new sandbox and .6 was freed and given to another pod.
        store.commit(key, store.read(key).version(), dev.whereabouts.ipam.api.PoolChange.put(
                new Allocation(ip("10.7.0.5"), oldSandbox.withContainerId("c-new")),
                new Allocation(ip("10.7.0.6"), owner("c-d", "ns/d"))));

        List<String> failures = new ArrayList<>();
        List<Allocation> gone = new PoolReleaser(store, 5).release(key, List.of(
                new Allocation(ip("10.7.0.5"), oldSandbox),
                new Allocation(ip("10.7.0.6"), owner("c-b", "ns/b")),
                new Allocation(ip("10.7.0.7"), owner("c-c", "ns/c"))), failures);

        assertEquals(List.of(), failures);
        assertEquals(List.of(new Allocation(ip("10.7.0.7"), owner("c-c", "ns/c"))), gone);
        assertEquals(List.of(ip("10.7.0.5"), ip("10.7.0.6")), List.copyOf(store.read(key).allocations().keySet()));
        assertEquals(List.of(ip("10.7.0.5"), ip("10.7.0.6")),
                store.reservations().stream().map(Reservation::ip).sorted().toList());
    }

    @Test
    void nothingLeftToRemoveIsNotAFailure() {
        List<String> failures = new ArrayList<>();
        assertEquals(List.of(), new PoolReleaser(store, 5).release(key,
                List.of(new Allocation(ip("10.7.0.9"), owner("c", "ns/x"))), failures));
        assertEquals(List.of(), failures);
    }

    @Test
    void anUnavailableStoreIsReportedNotThrown() {
        allocate(store, key, "10.7.0.5", owner("c", "ns/x"));
        store.setAvailable(false);
        List<String> failures = new ArrayList<>();
        assertEquals(List.of(), new PoolReleaser(store, 5).release(key,
                List.of(new Allocation(ip("10.7.0.5"), owner("c", "ns/x"))), failures));
        store.setAvailable(true);
        assertEquals(1, failures.size());
        assertEquals(1, store.read(key).allocations().size());
    }
}
