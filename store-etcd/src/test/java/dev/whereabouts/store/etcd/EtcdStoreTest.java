package dev.whereabouts.store.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import dev.whereabouts.ipam.spi.CommitOutcome;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Conflict and reservation semantics of the etcd store against a real etcd. */
class EtcdStoreTest {

    static final PoolKey POOL = PoolKey.of(Cidr.parse("10.40.0.0/24"), "");
    static final PoolKey OTHER = PoolKey.of(Cidr.parse("10.40.0.0/28"), "");
    static final PoolChange EMPTY = new PoolChange(List.of(), List.of(), List.of(), List.of());

    private static EtcdServer etcd;
    private final List<IpamStore> opened = new ArrayList<>();
    private String prefix;
    private IpamStore store;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdServer.start();
    }

    @AfterAll
    static void stopEtcd() {
        etcd.stop();
    }

    @BeforeEach
    void open() {
        prefix = "/test-" + UUID.randomUUID();
        store = open(Map.of());
    }

    @AfterEach
    void closeAll() {
        opened.forEach(IpamStore::close);
    }

    IpamStore open(Map<String, Object> extra) {
        Map<String, Object> cfg = etcd.config(prefix);
        cfg.putAll(extra);
        IpamStore s = new EtcdStoreProvider().open(new StoreConfig(cfg));
        opened.add(s);
        return s;
    }

    static Owner owner(int n) {
        return new Owner("container-" + n, "net1", "ns/pod-" + n);
    }

    static IpAddress ip(String s) {
        return IpAddress.parse(s);
    }

    static PoolVersion committed(CommitOutcome o) {
        return assertInstanceOf(CommitOutcome.Committed.class, o, () -> "expected Committed, got " + o).version();
    }

    static PoolChange add(PoolKey pool, String address, Owner owner) {
        return new PoolChange(List.of(new Allocation(ip(address), owner)), List.of(),
                List.of(new Reservation(pool.networkName(), ip(address), owner)), List.of());
    }

    static PoolChange del(PoolKey pool, String address, Owner owner) {
        return new PoolChange(List.of(), List.of(ip(address)), List.of(),
                List.of(new Reservation(pool.networkName(), ip(address), owner)));
    }

    @Test
    void versionsAreMonotonicAndStaleWritesConflict() {
        assertFalse(store.read(POOL).exists());
        PoolVersion v1 = committed(store.commit(POOL, PoolVersion.ABSENT, add(POOL, "10.40.0.1", owner(1))));
        PoolSnapshot s1 = store.read(POOL);
        assertEquals(v1, s1.version());
        assertEquals(Map.of(ip("10.40.0.1"), owner(1)), s1.allocations());

        assertInstanceOf(CommitOutcome.Conflict.class,
                open(Map.of()).commit(POOL, PoolVersion.ABSENT, add(POOL, "10.40.0.2", owner(2))));
        PoolVersion v2 = committed(store.commit(POOL, v1, add(POOL, "10.40.0.2", owner(2))));
        assertTrue(Long.parseLong(v2.token()) > Long.parseLong(v1.token()));
        assertInstanceOf(CommitOutcome.Conflict.class, store.commit(POOL, v1, del(POOL, "10.40.0.1", owner(1))));
        assertInstanceOf(CommitOutcome.Conflict.class, store.commit(POOL, new PoolVersion("not-a-revision"), EMPTY));
        assertEquals(2, store.read(POOL).allocations().size());
        assertEquals(2, store.reservations().size());
    }

    @Test
    void aTakenReservationRefusesTheWholeChangeAndNamesTheHolder() {
        committed(store.commit(POOL, PoolVersion.ABSENT, add(POOL, "10.40.0.2", owner(1))));
        PoolChange both = new PoolChange(
                List.of(new Allocation(ip("10.40.0.1"), owner(2)), new Allocation(ip("10.40.0.2"), owner(2))), List.of(),
                List.of(new Reservation("", ip("10.40.0.1"), owner(2)), new Reservation("", ip("10.40.0.2"), owner(2))),
                List.of());
        var taken = assertInstanceOf(CommitOutcome.ReservationTaken.class, store.commit(OTHER, PoolVersion.ABSENT, both));
        assertEquals(new Reservation("", ip("10.40.0.2"), owner(1)), taken.holder());
        assertFalse(store.read(OTHER).exists());
        assertEquals(List.of(new Reservation("", ip("10.40.0.2"), owner(1))), store.reservations());
    }

    @Test
    void theSamePodRefreshesItsReservationFromANewSandbox() {
        committed(store.commit(POOL, PoolVersion.ABSENT, add(POOL, "10.40.0.3", owner(3))));
        Owner resandboxed = owner(3).withContainerId("sandbox-2");
        committed(store.commit(OTHER, PoolVersion.ABSENT, add(OTHER, "10.40.0.3", resandboxed)));
        assertEquals(List.of(new Reservation("", ip("10.40.0.3"), resandboxed)), store.reservations());

        // DEL by the old sandbox's owner value: the by-value guess misses, the retry by revision deletes.
        PoolVersion v = store.read(POOL).version();
        committed(store.commit(POOL, v, del(POOL, "10.40.0.3", owner(3))));
        assertTrue(store.reservations().isEmpty());
        assertTrue(store.read(POOL).allocations().isEmpty());
        assertTrue(store.read(POOL).exists(), "an emptied pool keeps its meta key and version");
    }

    @Test
    void unreserveLeavesSomeoneElsesReservation() {
        PoolVersion v = committed(store.commit(POOL, PoolVersion.ABSENT, add(POOL, "10.40.0.4", owner(4))));
        committed(store.commit(POOL, v, new PoolChange(List.of(), List.of(), List.of(),
                List.of(new Reservation("", ip("10.40.0.4"), owner(5))))));
        assertEquals(1, store.reservations().size());
        assertFalse(store.removeReservation(new Reservation("", ip("10.40.0.4"), owner(5))));
        assertTrue(store.removeReservation(new Reservation("", ip("10.40.0.4"), owner(4))));
        assertFalse(store.removeReservation(new Reservation("", ip("10.40.0.4"), owner(4))));
    }

    @Test
    void networkNamesScopeReservationsAndPools() {
        PoolKey a = PoolKey.of(Cidr.parse("10.40.0.0/24"), "_");
        PoolKey b = PoolKey.of(Cidr.parse("10.40.0.0/24"), "tenant/b");
        PoolKey c = new PoolKey(Cidr.parse("10.40.0.0/26"), "tenant%c", "node-1");
        committed(store.commit(POOL, PoolVersion.ABSENT, add(POOL, "10.40.0.5", owner(1))));
        committed(store.commit(a, PoolVersion.ABSENT, add(a, "10.40.0.5", owner(2))));
        committed(store.commit(b, PoolVersion.ABSENT, add(b, "10.40.0.5", owner(3))));
        committed(store.commit(c, PoolVersion.ABSENT, add(c, "10.40.0.5", owner(4))));
        assertEquals(Set.of(POOL, a, b, c), Set.copyOf(store.pools()));
        assertEquals(4, store.reservations().size());
        assertEquals(Set.of("", "_", "tenant/b", "tenant%c"),
                Set.copyOf(store.reservations().stream().map(Reservation::networkName).toList()));
    }

    @Test
    void ipv6AddressesAtHighOffsetsRoundTripInOrder() {
        PoolKey v6 = PoolKey.of(Cidr.parse("fd00:1::/32"), "v6");
        List<Allocation> odd = List.of(
                new Allocation(ip("fd00:1:ffff:ffff:ffff:ffff:ffff:fffe"), new Owner("c1", "eth0", "")),
                new Allocation(ip("fd00:1:0:0:8000::"), new Owner("c2", "", "ns/x")),
                new Allocation(ip("fd00:1::1"), new Owner("c\nnewline%", "net1", "a/b")));
        List<Reservation> res = odd.stream().map(a -> new Reservation("v6", a.ip(), a.owner())).toList();
        committed(store.commit(v6, PoolVersion.ABSENT, new PoolChange(odd, List.of(), res, List.of())));
        PoolSnapshot s = open(Map.of()).read(v6);
        assertEquals(List.of(odd.get(2), odd.get(1), odd.get(0)), s.asList());
        assertEquals(Set.copyOf(res), Set.copyOf(store.reservations()));
    }

    @Test
    void changesLargerThanOneTransactionAreSplitByAddress() {
        IpamStore small = open(Map.of("etcd_max_txn_ops", 4));
        List<Allocation> puts = new ArrayList<>();
        List<Reservation> reserves = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            Allocation a = new Allocation(ip("10.40.0.0").plus(i), owner(i));
            puts.add(a);
            reserves.add(new Reservation("", a.ip(), a.owner()));
        }
        PoolVersion v = committed(small.commit(POOL, PoolVersion.ABSENT, new PoolChange(puts, List.of(), reserves, List.of())));
        assertEquals(20, store.read(POOL).allocations().size());
        assertEquals(v, store.read(POOL).version());
        assertEquals(20, store.reservations().size());

        // A taken reservation anywhere in a split change refuses it before anything is written.
        committed(store.commit(OTHER, PoolVersion.ABSENT, EMPTY));
        List<Allocation> other = new ArrayList<>();
        List<Reservation> otherRes = new ArrayList<>();
        for (int i = 1; i <= 15; i++) {
            Allocation a = new Allocation(ip("10.40.0.0").plus(i), owner(100 + i));
            other.add(a);
            otherRes.add(new Reservation("", a.ip(), a.owner()));
        }
        PoolVersion ov = store.read(OTHER).version();
        assertInstanceOf(CommitOutcome.ReservationTaken.class,
                small.commit(OTHER, ov, new PoolChange(other, List.of(), otherRes, List.of())));
        assertEquals(ov, store.read(OTHER).version());

        List<IpAddress> removes = puts.stream().map(Allocation::ip).toList();
        PoolVersion v2 = committed(small.commit(POOL, v, new PoolChange(List.of(), removes, List.of(), reserves)));
        assertNotEquals(v, v2);
        assertTrue(store.read(POOL).allocations().isEmpty());
        assertTrue(store.reservations().isEmpty());
    }

    @Test
    void anEmptyChangeCreatesThePoolAndBumpsItsVersion() {
        PoolVersion v1 = committed(store.commit(POOL, PoolVersion.ABSENT, EMPTY));
        PoolVersion v2 = committed(store.commit(POOL, v1, EMPTY));
        assertNotEquals(v1, v2);
        assertEquals(v2, store.read(POOL).version());
        assertEquals(List.of(POOL), store.pools());
    }

    @Test
    void aFollowedPoolCatchesUpWithEveryWriteOfAnotherClient() {
        IpamStore writer = open(Map.of("etcd_max_txn_ops", 4)); // some changes span several transactions
        IpamStore follower = open(Map.of("etcd_watch_pools", true));
        PoolVersion v = committed(writer.commit(POOL, PoolVersion.ABSENT, add(POOL, "10.40.0.1", owner(1))));
        assertEquals(Optional.empty(), store.awaitNewer(POOL, PoolVersion.ABSENT, Duration.ZERO),
                "without etcd_watch_pools nothing is followed");
        store.read(POOL);
        assertEquals(Optional.empty(), follower.awaitNewer(POOL, PoolVersion.ABSENT, Duration.ZERO),
                "asking first follows nothing yet: the next read starts it");
        PoolSnapshot start = follower.read(POOL);
        for (int i = 2; i <= 30; i++) {
            List<Allocation> puts = new ArrayList<>();
            for (int j = 0; j < i % 4 + 1; j++) {
                puts.add(new Allocation(ip("10.40.0.0").plus(10 * i + j), owner(10 * i + j)));
            }
            List<IpAddress> removes = i % 5 == 0 ? List.of(ip("10.40.0.0").plus(10 * (i - 1))) : List.of();
            v = committed(writer.commit(POOL, v, new PoolChange(puts, removes, List.of(), List.of())));
        }

        PoolSnapshot fed = start;
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!fed.version().equals(v) && System.nanoTime() < end) {
            fed = follower.awaitNewer(POOL, fed.version(), Duration.ofSeconds(1)).orElse(fed);
        }
        assertEquals(v, fed.version(), "the feed reaches the last write's version");
        assertEquals(store.read(POOL).allocations(), fed.allocations(), "and holds exactly what a read holds");
        assertInstanceOf(CommitOutcome.Committed.class, follower.commit(POOL, fed.version(), add(POOL, "10.40.0.2", owner(2))));
        assertEquals(Optional.empty(), store.awaitNewer(POOL, start.version(), Duration.ZERO), "still nothing without the setting");
    }
}
