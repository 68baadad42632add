package dev.whereabouts.store.file;

import static dev.whereabouts.store.file.FileStoreTest.committed;
import static dev.whereabouts.store.file.Stores.alloc;
import static dev.whereabouts.store.file.Stores.ip;
import static dev.whereabouts.store.file.Stores.owner;
import static dev.whereabouts.store.file.Stores.pool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.spi.CommitOutcome;
import dev.whereabouts.ipam.spi.IpamStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reservation files: where they live and the edges of create-if-absent. */
class ReservationTest {

    @TempDir
    Path dir;

    private static PoolChange reserve(List<Reservation> reserve, List<Reservation> unreserve) {
        return new PoolChange(List.of(), List.of(), reserve, unreserve);
    }

    @Test
    void eachReservationIsOneFileNamedLikeUpstreamUnderItsNetwork() throws Exception {
        try (IpamStore store = Stores.open(dir)) {
            Reservation v6 = new Reservation("tenant-a", ip("2001:db8::"), owner("a"));
            Reservation v4 = new Reservation("", ip("10.0.0.7"), owner("b"));
            committed(store.commit(pool("10.0.0.0/24"), PoolVersion.ABSENT, reserve(List.of(v6, v4), List.of())));
            Path v6File = dir.resolve("reservations/tenant-a/2001-db8--0");
            Path v4File = dir.resolve("reservations/_default/10.0.0.7");
            assertEquals(v6, ReservationText.parse(Files.readString(v6File)));
            assertEquals(v4, ReservationText.parse(Files.readString(v4File)));
            assertTrue(Files.exists(dir.resolve("pools/_default/10.0.0.0-24")));
            assertTrue(Journal.finished(dir.resolve("journal")), "journal still pending");
        }
    }

    @Test
    void aStaleVersionConflictsEvenWhenAReservationIsAlsoTaken() {
        try (IpamStore store = Stores.open(dir)) {
            PoolKey key = pool("10.0.0.0/24");
            Reservation mine = new Reservation("", ip("10.0.0.1"), owner("a"));
            committed(store.commit(key, PoolVersion.ABSENT, reserve(List.of(mine), List.of())));
            Reservation theirs = new Reservation("", ip("10.0.0.1"), owner("b"));
            assertInstanceOf(CommitOutcome.Conflict.class, store.commit(key, PoolVersion.ABSENT,
                    reserve(List.of(theirs), List.of())));
            CommitOutcome taken = store.commit(key, store.read(key).version(), reserve(List.of(theirs), List.of()));
            assertEquals(mine, assertInstanceOf(CommitOutcome.ReservationTaken.class, taken).holder());
        }
    }

    @Test
    void aNewSandboxOfTheSamePodKeepsItsReservationAndAnotherPodCannotTakeIt() {
        try (IpamStore store = Stores.open(dir)) {
            PoolKey key = pool("10.0.0.0/24");
            Owner first = new Owner("sandbox-1", "eth0", "ns/web-0");
            Owner resandboxed = new Owner("sandbox-2", "eth0", "ns/web-0");
            Owner otherInterface = new Owner("sandbox-2", "net1", "ns/web-0");
            PoolVersion v = committed(store.commit(key, PoolVersion.ABSENT,
                    reserve(List.of(new Reservation("", ip("10.0.0.1"), first)), List.of())));
            v = committed(store.commit(key, v, reserve(List.of(new Reservation("", ip("10.0.0.1"), resandboxed)), List.of())));
            assertEquals(List.of(new Reservation("", ip("10.0.0.1"), resandboxed)), store.reservations());
            assertInstanceOf(CommitOutcome.ReservationTaken.class, store.commit(key, v,
                    reserve(List.of(new Reservation("", ip("10.0.0.1"), otherInterface)), List.of())));
        }
    }

    @Test
    void reservingAndUnreservingInOneChangeLeavesNothingBecauseUnreserveComesLast() {
        try (IpamStore store = Stores.open(dir)) {
            Reservation r = new Reservation("", ip("10.0.0.1"), owner("a"));
            committed(store.commit(pool("10.0.0.0/24"), PoolVersion.ABSENT, reserve(List.of(r), List.of(r))));
            assertEquals(List.of(), store.reservations());
        }
    }

    @Test
    void aRefusedChangeLeavesNoFileBehind() throws Exception {
        try (IpamStore store = Stores.open(dir)) {
            Reservation held = new Reservation("", ip("10.0.0.2"), owner("a"));
            PoolVersion v = committed(store.commit(pool("10.0.0.0/24"), PoolVersion.ABSENT, reserve(List.of(held), List.of())));
            CommitOutcome out = store.commit(pool("10.0.0.0/28"), PoolVersion.ABSENT, new PoolChange(
                    List.of(alloc("10.0.0.1", "b"), alloc("10.0.0.2", "b")), List.of(),
                    List.of(new Reservation("", ip("10.0.0.1"), owner("b")), new Reservation("", ip("10.0.0.2"), owner("b"))),
                    List.of()));
            assertInstanceOf(CommitOutcome.ReservationTaken.class, out);
            assertFalse(Files.exists(dir.resolve("pools/_default/10.0.0.0-28")));
            assertFalse(Files.exists(dir.resolve("reservations/_default/10.0.0.1")));
            assertEquals(v, store.read(pool("10.0.0.0/24")).version());
        }
    }
}
