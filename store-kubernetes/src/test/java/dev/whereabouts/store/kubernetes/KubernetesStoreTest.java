package dev.whereabouts.store.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolSnapshot;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.spi.CommitOutcome;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KubernetesStoreTest extends MockStoreFixture {

    @Test
    void namespaceComesFromTheKubeconfigContext() {
        assertEquals("whereabouts-test", store.namespace());
    }

    @Test
    void aPoolNeverWrittenReadsAsAbsent() {
        PoolSnapshot s = store.read(POOL);
        assertFalse(s.exists());
        assertTrue(s.allocations().isEmpty());
    }

    @Test
    void commitWithAbsentCreatesThePoolInUpstreamShape() {
        var out = store.commit(POOL, PoolVersion.ABSENT, PoolChange.put(new Allocation(ip("10.11.88.97"), A)));
        assertInstanceOf(CommitOutcome.Committed.class, out);
        GenericKubernetesResource raw = rawPool("10.11.88.96-28");
        assertNotNull(raw);
        assertEquals(Map.of("range", "10.11.88.96/28",
                "allocations", Map.of("1", Map.of("id", "ctr-a", "podref", "default/pod-a", "ifname", "net1"))),
                raw.getAdditionalProperties().get("spec"));
        PoolSnapshot s = store.read(POOL);
        assertEquals(((CommitOutcome.Committed) out).version(), s.version());
        assertEquals(Map.of(ip("10.11.88.97"), A), s.allocations());
    }

    @Test
    void aStaleVersionConflictsAndWritesNothing() {
        store.commit(POOL, PoolVersion.ABSENT, PoolChange.put(new Allocation(ip("10.11.88.97"), A)));
        PoolSnapshot first = store.read(POOL);
        assertInstanceOf(CommitOutcome.Committed.class,
                store.commit(POOL, first.version(), PoolChange.put(new Allocation(ip("10.11.88.98"), B))));
        var out = store.commit(POOL, first.version(), PoolChange.put(new Allocation(ip("10.11.88.99"), B)));
        assertInstanceOf(CommitOutcome.Conflict.class, out);
        assertEquals(Set.of(ip("10.11.88.97"), ip("10.11.88.98")), store.read(POOL).allocations().keySet());
    }

    @Test
    void aStaleVersionConflictsEvenForASecondClientWithoutCache() {
        store.commit(POOL, PoolVersion.ABSENT, PoolChange.put(new Allocation(ip("10.11.88.97"), A)));
        PoolSnapshot first = store.read(POOL);
        try (KubernetesIpamStore other = cluster.open()) {
            PoolSnapshot seen = other.read(POOL);
            assertInstanceOf(CommitOutcome.Committed.class,
                    store.commit(POOL, first.version(), PoolChange.remove(ip("10.11.88.97"))));
            assertInstanceOf(CommitOutcome.Conflict.class,
                    other.commit(POOL, seen.version(), PoolChange.put(new Allocation(ip("10.11.88.99"), B))));
        }
        assertTrue(store.read(POOL).allocations().isEmpty());
    }

    @Test
    void creatingAPoolThatAnotherClientCreatedFirstConflicts() {
        try (KubernetesIpamStore other = cluster.open()) {
            assertInstanceOf(CommitOutcome.Committed.class,
                    other.commit(POOL, PoolVersion.ABSENT, PoolChange.put(new Allocation(ip("10.11.88.97"), A))));
            assertInstanceOf(CommitOutcome.Conflict.class,
                    store.commit(POOL, PoolVersion.ABSENT, PoolChange.put(new Allocation(ip("10.11.88.97"), B))));
        }
        assertEquals(Map.of(ip("10.11.88.97"), A), store.read(POOL).allocations());
    }

    @Test
    void committingAgainstAVersionOfAPoolThatIsGoneConflicts() {
        var out = store.commit(POOL, new PoolVersion("12345"), PoolChange.put(new Allocation(ip("10.11.88.97"), A)));
        assertInstanceOf(CommitOutcome.Conflict.class, out);
        assertNull(rawPool("10.11.88.96-28"));
    }

    @Test
    void removingAnAddressThatIsNotAllocatedIsIgnored() {
        store.commit(POOL, PoolVersion.ABSENT, PoolChange.put(new Allocation(ip("10.11.88.97"), A)));
        var out = store.commit(POOL, store.read(POOL).version(), PoolChange.remove(ip("10.11.88.100")));
        assertInstanceOf(CommitOutcome.Committed.class, out);
        assertEquals(Map.of(ip("10.11.88.97"), A), store.read(POOL).allocations());
    }

    @Test
    void aPutOverwritesTheOwnerOfAnAddress() {
        store.commit(POOL, PoolVersion.ABSENT, PoolChange.put(new Allocation(ip("10.11.88.97"), A)));
        Owner moved = A.withContainerId("ctr-a2");
        store.commit(POOL, store.read(POOL).version(), PoolChange.put(new Allocation(ip("10.11.88.97"), moved)));
        assertEquals(Map.of(ip("10.11.88.97"), moved), store.read(POOL).allocations());
    }

    @Test
    void reservationsAreCreatedWithThePoolWrite() {
        Reservation r = new Reservation("", ip("10.11.88.97"), A);
        var out = store.commit(POOL, PoolVersion.ABSENT,
                new PoolChange(List.of(new Allocation(r.ip(), A)), List.of(), List.of(r), List.of()));
        assertInstanceOf(CommitOutcome.Committed.class, out);
        GenericKubernetesResource raw = rawReservation("10.11.88.97");
        assertEquals(Map.of("containerid", "ctr-a", "podref", "default/pod-a", "ifname", "net1"),
                raw.getAdditionalProperties().get("spec"));
        assertEquals(List.of(r), store.reservations());
    }

    @Test
    void anAddressReservedByAnotherAttachmentIsTakenAndNothingIsWritten() {
        Reservation mine = new Reservation("", ip("10.11.88.97"), A);
        PoolKey other = PoolKey.of(Cidr.parse("10.11.88.0/24"), "");
        store.commit(other, PoolVersion.ABSENT,
                new PoolChange(List.of(new Allocation(mine.ip(), A)), List.of(), List.of(mine), List.of()));
        Reservation theirs = new Reservation("", ip("10.11.88.97"), B);
        Reservation free = new Reservation("", ip("10.11.88.98"), B);
        var out = store.commit(POOL, PoolVersion.ABSENT, new PoolChange(
                List.of(new Allocation(free.ip(), B), new Allocation(theirs.ip(), B)), List.of(),
                List.of(free, theirs), List.of()));
        var taken = assertInstanceOf(CommitOutcome.ReservationTaken.class, out);
        assertEquals(mine, taken.holder());
        assertFalse(store.read(POOL).exists());
        assertNull(rawReservation("10.11.88.98"), "the reservation created before the taken one is rolled back");
        assertEquals(List.of(mine), store.reservations());
    }

    @Test
    void aRefusedBatchOnAWrittenPoolLeavesItsEntriesAsTheyWere() {
        Owner c = new Owner("ctr-c", "net1", "default/pod-c");
        Reservation cs = new Reservation("", ip("10.11.88.99"), c);
        store.commit(POOL, PoolVersion.ABSENT,
                new PoolChange(List.of(new Allocation(cs.ip(), c)), List.of(), List.of(cs), List.of()));
        Reservation held = new Reservation("", ip("10.11.88.97"), A);
        store.commit(PoolKey.of(Cidr.parse("10.11.88.0/24"), ""), PoolVersion.ABSENT,
                new PoolChange(List.of(new Allocation(held.ip(), A)), List.of(), List.of(held), List.of()));
        var before = store.read(POOL);

        // one batch: DEL of pod-c, and two ADDs of pod-b, one of which another range holds
        Reservation free = new Reservation("", ip("10.11.88.98"), B);
        Reservation theirs = new Reservation("", held.ip(), B);
        var out = store.commit(POOL, before.version(), new PoolChange(
                List.of(new Allocation(free.ip(), B), new Allocation(theirs.ip(), B)), List.of(cs.ip()),
                List.of(free, theirs), List.of(cs)));

        assertEquals(held, assertInstanceOf(CommitOutcome.ReservationTaken.class, out).holder());
        assertEquals(before.allocations(), store.read(POOL).allocations(), "entries as they were");
        assertEquals(java.util.Set.of(cs, held), java.util.Set.copyOf(store.reservations()));
        assertInstanceOf(CommitOutcome.Conflict.class, store.commit(POOL, before.version(), PoolChange.remove(cs.ip())),
                "the version the refused commit was based on is gone");
    }

    @Test
    void theSameAttachmentRefreshesItsReservation() {
        Reservation r = new Reservation("net1", ip("10.11.88.97"), A);
        store.commit(POOL, PoolVersion.ABSENT,
                new PoolChange(List.of(new Allocation(r.ip(), A)), List.of(), List.of(r), List.of()));
        Owner again = A.withContainerId("ctr-a-new");
        Reservation r2 = new Reservation("net1", r.ip(), again);
        var out = store.commit(POOL, store.read(POOL).version(),
                new PoolChange(List.of(new Allocation(r.ip(), again)), List.of(), List.of(r2), List.of()));
        assertInstanceOf(CommitOutcome.Committed.class, out);
        assertEquals("ctr-a-new", PoolObjects.spec(rawReservation("net1-10.11.88.97")).get("containerid"));
        assertEquals(List.of(r2), store.reservations());
    }

    @Test
    void reservationsCreatedByACommitThatConflictsAreRolledBack() {
        store.commit(POOL, PoolVersion.ABSENT, PoolChange.put(new Allocation(ip("10.11.88.97"), A)));
        PoolVersion stale = store.read(POOL).version();
        store.commit(POOL, stale, PoolChange.put(new Allocation(ip("10.11.88.98"), A)));
        Reservation r = new Reservation("", ip("10.11.88.99"), B);
        var out = store.commit(POOL, stale,
                new PoolChange(List.of(new Allocation(r.ip(), B)), List.of(), List.of(r), List.of()));
        assertInstanceOf(CommitOutcome.Conflict.class, out);
        assertNull(rawReservation("10.11.88.99"));
        assertTrue(store.reservations().isEmpty());
    }

    @Test
    void unreserveRemovesOnlyTheSameAttachmentsReservation() {
        Reservation a = new Reservation("", ip("10.11.88.97"), A);
        Reservation b = new Reservation("", ip("10.11.88.98"), B);
        store.commit(POOL, PoolVersion.ABSENT, new PoolChange(
                List.of(new Allocation(a.ip(), A), new Allocation(b.ip(), B)), List.of(), List.of(a, b), List.of()));
        Reservation notB = new Reservation("", b.ip(), new Owner("ctr-x", "net1", "default/pod-x"));
        var out = store.commit(POOL, store.read(POOL).version(),
                new PoolChange(List.of(), List.of(a.ip(), b.ip()), List.of(), List.of(a, notB)));
        assertInstanceOf(CommitOutcome.Committed.class, out);
        assertTrue(store.read(POOL).allocations().isEmpty());
        assertEquals(List.of(b), store.reservations());
    }

    @Test
    void removeReservationChecksTheOwner() {
        Reservation a = new Reservation("tenant-a", ip("2001:db8::"), A);
        store.commit(PoolKey.of(Cidr.parse("2001:db8::/64"), "tenant-a"), PoolVersion.ABSENT,
                new PoolChange(List.of(), List.of(), List.of(a), List.of()));
        assertNotNull(rawReservation("tenant-a-2001-db8--0"));
        assertFalse(store.removeReservation(new Reservation("tenant-a", a.ip(), B)));
        assertFalse(store.removeReservation(new Reservation("", a.ip(), A)));
        assertTrue(store.removeReservation(a));
        assertFalse(store.removeReservation(a));
        assertTrue(store.reservations().isEmpty());
    }
}
