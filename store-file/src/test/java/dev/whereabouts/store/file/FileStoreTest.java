package dev.whereabouts.store.file;

import static dev.whereabouts.store.file.Stores.alloc;
import static dev.whereabouts.store.file.Stores.ip;
import static dev.whereabouts.store.file.Stores.owner;
import static dev.whereabouts.store.file.Stores.pool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolSnapshot;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.api.StoreUnavailableException;
import dev.whereabouts.ipam.spi.CommitOutcome;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Versions, conflicts and durability of pools. */
class FileStoreTest {

    @TempDir
    Path dir;

    @Test
    void aPoolThatWasNeverWrittenReadsAsAbsent() {
        try (IpamStore store = Stores.open(dir)) {
            PoolSnapshot s = store.read(pool("10.0.0.0/24"));
            assertFalse(s.exists());
            assertEquals(PoolVersion.ABSENT, s.version());
            assertTrue(s.allocations().isEmpty());
            assertEquals(List.of(), store.pools());
        }
    }

    @Test
    void committingWithAbsentCreatesThePoolAndReturnsTheVersionThatReadsBack() {
        try (IpamStore store = Stores.open(dir)) {
            PoolKey key = pool("10.0.0.0/24");
            CommitOutcome out = store.commit(key, PoolVersion.ABSENT, PoolChange.put(alloc("10.0.0.1", "a")));
            PoolVersion v = assertInstanceOf(CommitOutcome.Committed.class, out).version();
            PoolSnapshot s = store.read(key);
            assertEquals(v, s.version());
            assertEquals(Map.of(ip("10.0.0.1"), owner("a")), s.allocations());
            assertEquals(List.of(key), store.pools());
        }
    }

    @Test
    void creatingAPoolTwiceConflictsAndChangesNothing() {
        try (IpamStore store = Stores.open(dir)) {
            PoolKey key = pool("10.0.0.0/24");
            store.commit(key, PoolVersion.ABSENT, PoolChange.put(alloc("10.0.0.1", "a")));
            PoolSnapshot before = store.read(key);
            CommitOutcome out = store.commit(key, PoolVersion.ABSENT, PoolChange.put(alloc("10.0.0.2", "b")));
            assertInstanceOf(CommitOutcome.Conflict.class, out);
            assertEquals(before, store.read(key));
        }
    }

    @Test
    void anAddAndADelWriteThePoolFileOverInPlaceAndLeaveItExactlyTheNewText() throws Exception {
        try (IpamStore store = Stores.open(dir)) {
            PoolKey key = pool("10.0.0.0/24");
            PoolVersion v1 = committed(store.commit(key, PoolVersion.ABSENT, PoolChange.put(alloc("10.0.0.1", "a"))));
            Path file = new Layout(dir.toRealPath()).poolFile(key);
            Object inode = Files.getAttribute(file, "unix:ino");
            // an ADD and a DEL with their reservations: journalled commits, the pool written in place
            var r = new Reservation("", ip("10.0.0.2"), owner("b-with-a-long-container-id"));
            PoolVersion v2 = committed(store.commit(key, v1,
                    new PoolChange(List.of(alloc("10.0.0.2", "b-with-a-long-container-id")), List.of(), List.of(r), List.of())));
            PoolVersion v3 = committed(store.commit(key, v2,
                    new PoolChange(List.of(), List.of(ip("10.0.0.2")), List.of(), List.of(r))));
            assertEquals(inode, Files.getAttribute(file, "unix:ino"), "written over, not renamed over");
            PoolSnapshot s = store.read(key);
            assertEquals(v3, s.version());
            assertEquals(Map.of(ip("10.0.0.1"), owner("a")), s.allocations());
            assertEquals(PoolFile.parse(Files.readString(file)).text(), Files.readString(file),
                    "a pool that shrank is cut to its new text");
        }
    }

    @Test
    void aReadWaitsForTheLockSinceACommitWritesThePoolInPlace() throws Exception {
        var config = new StoreConfig(
                Map.of("file", Map.of("data_dir", dir.toString(), "lock_timeout_ms", 200)));
        try (IpamStore store = new FileStoreProvider().open(config)) {
            PoolKey key = pool("10.0.0.0/24");
            committed(store.commit(key, PoolVersion.ABSENT, PoolChange.put(alloc("10.0.0.1", "a"))));
            var held = new CountDownLatch(1);
            var release = new CountDownLatch(1);
            Thread holder = Thread.ofPlatform().start(() -> {
                try {
                    DirLock.of(dir.toRealPath().resolve("lock")).call(Duration.ofSeconds(5), () -> {
                        held.countDown();
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return null;
                    });
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            held.await();
            try {
                assertThrows(StoreUnavailableException.class, () -> store.read(key));
            } finally {
                release.countDown();
                holder.join();
            }
            assertEquals(Map.of(ip("10.0.0.1"), owner("a")), store.read(key).allocations());
        }
    }

    @Test
    void aStaleVersionConflictsAndTheCurrentOneCommits() {
        try (IpamStore store = Stores.open(dir)) {
            PoolKey key = pool("10.0.0.0/24");
            PoolVersion v1 = committed(store.commit(key, PoolVersion.ABSENT, PoolChange.put(alloc("10.0.0.1", "a"))));
            PoolVersion v2 = committed(store.commit(key, v1, PoolChange.put(alloc("10.0.0.2", "b"))));
            assertNotEquals(v1, v2);
            assertInstanceOf(CommitOutcome.Conflict.class,
                    store.commit(key, v1, PoolChange.put(alloc("10.0.0.3", "c"))));
            assertInstanceOf(CommitOutcome.Conflict.class,
                    store.commit(key, new PoolVersion("garbage"), PoolChange.remove(ip("10.0.0.1"))));
            PoolVersion v3 = committed(store.commit(key, v2, PoolChange.remove(ip("10.0.0.1"), ip("10.0.0.9"))));
            assertEquals(Map.of(ip("10.0.0.2"), owner("b")), store.read(key).allocations());
            assertEquals(v3, store.read(key).version());
        }
    }

    @Test
    void generationsGrowByOnePerWriteAndAnEmptyChangeIsAWrite() {
        try (IpamStore store = Stores.open(dir)) {
            PoolKey key = pool("10.0.0.0/24");
            PoolVersion v = PoolVersion.ABSENT;
            for (int i = 1; i <= 5; i++) {
                v = committed(store.commit(key, v, Stores.nothing()));
                assertTrue(v.token().startsWith(i + "."), v.token());
            }
        }
    }

    @Test
    void aPoolDeletedByHandAndCreatedAgainRefusesVersionsOfItsEarlierLife() throws Exception {
        try (IpamStore store = Stores.open(dir)) {
            PoolKey key = pool("10.0.0.0/24");
            PoolVersion old = committed(store.commit(key, PoolVersion.ABSENT, PoolChange.put(alloc("10.0.0.1", "a"))));
            Files.delete(new Layout(dir.toRealPath()).poolFile(key));
            PoolVersion reborn = committed(store.commit(key, PoolVersion.ABSENT, Stores.nothing()));
            assertNotEquals(old, reborn);
            assertInstanceOf(CommitOutcome.Conflict.class, store.commit(key, old, Stores.nothing()));
        }
    }

    @Test
    void anotherClientSeesWritesAndDataSurvivesReopening() {
        PoolKey key = pool("10.0.0.0/24");
        PoolVersion v;
        try (IpamStore a = Stores.open(dir); IpamStore b = Stores.open(dir)) {
            v = committed(a.commit(key, PoolVersion.ABSENT, PoolChange.put(alloc("10.0.0.1", "a"))));
            assertEquals(v, b.read(key).version());
            assertInstanceOf(CommitOutcome.Conflict.class, b.commit(key, PoolVersion.ABSENT, Stores.nothing()));
        }
        try (IpamStore again = Stores.open(dir)) {
            assertEquals(v, again.read(key).version());
            assertEquals(Map.of(ip("10.0.0.1"), owner("a")), again.read(key).allocations());
        }
    }

    @Test
    void overwritingAnEntryMovesItToTheNewContainer() {
        try (IpamStore store = Stores.open(dir)) {
            PoolKey key = pool("10.0.0.0/24");
            PoolVersion v = committed(store.commit(key, PoolVersion.ABSENT, PoolChange.put(alloc("10.0.0.1", "a"))));
            Owner moved = owner("a").withContainerId("b");
            committed(store.commit(key, v, PoolChange.put(new Allocation(ip("10.0.0.1"), moved))));
            assertEquals(Map.of(ip("10.0.0.1"), moved), store.read(key).allocations());
        }
    }

    @Test
    void ipv6PoolsKeepAll128BitsBeyondTwoToTheSixtyFour() {
        try (IpamStore store = Stores.open(dir)) {
            PoolKey key = PoolKey.of(Cidr.parse("fd00::/8"), "v6net");
            IpAddress base = key.range().network();
            IpAddress far = base.plus(BigInteger.ONE.shiftLeft(64).add(BigInteger.valueOf(5)));
            IpAddress top = key.range().lastAddress();
            Owner o = new Owner("c1", "net1", "");
            committed(store.commit(key, PoolVersion.ABSENT,
                    PoolChange.put(new Allocation(far, o), new Allocation(top, o))));
            try (IpamStore other = Stores.open(dir)) {
                assertEquals(Map.of(far, o, top, o), other.read(key).allocations());
                assertEquals(List.of(key), other.pools());
            }
        }
    }

    @Test
    void poolsWhoseUpstreamObjectNamesCollideStayApart() {
        Cidr r = Cidr.parse("10.0.0.0/8");
        PoolKey a = new PoolKey(r, "a", "b");
        PoolKey ab = new PoolKey(r, "a-b", "");
        PoolKey nodeOnly = new PoolKey(r, "", "a-b");
        assertEquals(a.objectName(), ab.objectName());
        assertEquals(a.objectName(), nodeOnly.objectName());
        try (IpamStore store = Stores.open(dir)) {
            committed(store.commit(a, PoolVersion.ABSENT, PoolChange.put(alloc("10.0.0.1", "x"))));
            committed(store.commit(ab, PoolVersion.ABSENT, PoolChange.put(alloc("10.0.0.2", "y"))));
            committed(store.commit(nodeOnly, PoolVersion.ABSENT, PoolChange.put(alloc("10.0.0.3", "z"))));
            assertEquals(Map.of(ip("10.0.0.1"), owner("x")), store.read(a).allocations());
            assertEquals(Map.of(ip("10.0.0.2"), owner("y")), store.read(ab).allocations());
            assertEquals(Map.of(ip("10.0.0.3"), owner("z")), store.read(nodeOnly).allocations());
            assertEquals(3, store.pools().size());
            assertTrue(store.pools().containsAll(List.of(a, ab, nodeOnly)));
        }
    }

    @Test
    void oddPodRefsAndEmptyFieldsRoundTripThroughTheFiles() {
        try (IpamStore store = Stores.open(dir)) {
            PoolKey key = pool("10.0.0.0/24");
            Owner weird = new Owner("c1", "", "ns with space/pod\nalloc 10.0.0.9 x y z%20\u00e9\u2603-");
            Owner empty = new Owner("", "", "");
            Owner dash = new Owner("c-2", "-", "-");
            committed(store.commit(key, PoolVersion.ABSENT, PoolChange.put(new Allocation(ip("10.0.0.1"), weird),
                    new Allocation(ip("10.0.0.2"), empty), new Allocation(ip("10.0.0.3"), dash))));
            try (IpamStore other = Stores.open(dir)) {
                assertEquals(Map.of(ip("10.0.0.1"), weird, ip("10.0.0.2"), empty, ip("10.0.0.3"), dash),
                        other.read(key).allocations());
            }
        }
    }

    static PoolVersion committed(CommitOutcome outcome) {
        return assertInstanceOf(CommitOutcome.Committed.class, outcome).version();
    }
}
