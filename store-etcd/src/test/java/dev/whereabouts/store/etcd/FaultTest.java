package dev.whereabouts.store.etcd;

import static dev.whereabouts.store.etcd.EtcdStoreTest.add;
import static dev.whereabouts.store.etcd.EtcdStoreTest.committed;
import static dev.whereabouts.store.etcd.EtcdStoreTest.owner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.api.StoreUnavailableException;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** etcd dies and comes back: calls fail with code 11 meanwhile, then work, and nothing is torn. */
class FaultTest {

    private static final PoolKey POOL = PoolKey.of(Cidr.parse("10.70.0.0/24"), "");

    @Test
    void everyCallFailsWithCode11WhileEtcdIsDownAndWorksAfterARestart() {
        try (EtcdServer etcd = EtcdServer.start();
                IpamStore store = new EtcdStoreProvider().open(new StoreConfig(config(etcd)))) {
            PoolVersion v = committed(store.commit(POOL, PoolVersion.ABSENT, add(POOL, "10.70.0.1", owner(1))));
            etcd.kill();
            Reservation r = new Reservation("", IpAddress.parse("10.70.0.1"), owner(1));
            for (Executable call : List.<Executable>of(
                    () -> store.read(POOL),
                    () -> store.commit(POOL, v, add(POOL, "10.70.0.2", owner(2))),
                    store::pools,
                    store::reservations,
                    () -> store.removeReservation(r),
                    store::checkAvailable)) {
                StoreUnavailableException e = assertThrows(StoreUnavailableException.class, call);
                assertEquals(IpamException.TRY_AGAIN_LATER, e.code());
                assertTrue(e.details().contains(etcd.endpoint()), e.details());
            }
            etcd.restart();
            // gRPC reconnects with back-off after refused connections, so the first calls after the
            // restart may still answer code 11; the client must recover by itself within seconds.
            awaitAvailable(store);
            assertEquals(v, store.read(POOL).version(), "the data survived the crash, the failed commit wrote nothing");
            committed(store.commit(POOL, v, add(POOL, "10.70.0.2", owner(2))));
            assertEquals(2, store.reservations().size());
        }
    }

    private static void awaitAvailable(IpamStore store) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            try {
                store.checkAvailable();
                return;
            } catch (StoreUnavailableException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                EtcdServer.sleep(200);
            }
        }
    }

    @Test
    void aServerThatHangsIsCutOffByTheTimeout() {
        try (EtcdServer etcd = EtcdServer.start()) {
            Map<String, Object> cfg = etcd.config("/hang");
            IpamStore warm = new EtcdStoreProvider().open(new StoreConfig(cfg));
            cfg.put("etcd_timeout_ms", 1000);
            try (warm; IpamStore store = new EtcdStoreProvider().open(new StoreConfig(cfg))) {
                committed(warm.commit(POOL, PoolVersion.ABSENT, add(POOL, "10.70.0.1", owner(1))));
                PoolVersion v = warm.read(POOL).version();
                // Connect the short-timeout client first, so that only the hang counts against it.
                for (int i = 0; i < 10; i++) {
                    try {
                        store.checkAvailable();
                        break;
                    } catch (StoreUnavailableException e) {
                        EtcdServer.sleep(200);
                    }
                }
                etcd.freeze(true);
                StoreUnavailableException commit;
                StoreUnavailableException read;
                try {
                    commit = assertThrows(StoreUnavailableException.class,
                            () -> store.commit(POOL, v, add(POOL, "10.70.0.2", owner(2))));
                    read = assertThrows(StoreUnavailableException.class, () -> store.read(POOL));
                } finally {
                    etcd.freeze(false);
                }
                assertEquals(IpamException.TRY_AGAIN_LATER, commit.code());
                assertTrue(commit.details().contains("did not answer within 1000 ms (etcd_timeout_ms)"), commit.details());
                assertTrue(read.details().contains("did not answer within 1000 ms (etcd_timeout_ms)"), read.details());
                // A request that timed out may still be applied once etcd wakes up (it was already
                // queued there); the caller saw code 11 and retries an idempotent ADD. What must hold
                // is all or nothing: the allocation and its reservation both, or neither.
                var after = warm.read(POOL);
                boolean applied = !after.version().equals(v);
                assertEquals(applied ? 2 : 1, after.allocations().size(), after.toString());
                assertEquals(applied ? 2 : 1, warm.reservations().size(), "reservation goes with its allocation");
            }
        }
    }

    @Test
    void aStoreThatNeverReachesEtcdFailsWithCode11() {
        Map<String, Object> cfg = new HashMap<>(Map.of("etcd_host", "127.0.0.1:1", "etcd_timeout_ms", 1000));
        try (IpamStore store = new EtcdStoreProvider().open(new StoreConfig(cfg))) {
            StoreUnavailableException e = assertThrows(StoreUnavailableException.class, store::checkAvailable);
            assertEquals(IpamException.TRY_AGAIN_LATER, e.code());
            assertThrows(StoreUnavailableException.class, () -> store.read(POOL));
        }
    }

    @Test
    void allocatorsThatLiveThroughACrashKeepTheInvariants() throws Exception {
        try (EtcdServer etcd = EtcdServer.start()) {
            Map<IpAddress, Owner> confirmed = new ConcurrentHashMap<>();
            Map<IpAddress, Owner> uncertain = new ConcurrentHashMap<>();
            AtomicBoolean down = new AtomicBoolean();
            AtomicInteger failuresWhileDown = new AtomicInteger();
            AtomicInteger successesAfter = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            List<IpamStore> stores = new ArrayList<>();
            List<Future<?>> workers = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
                for (int w = 0; w < 4; w++) {
                    IpamStore store = new EtcdStoreProvider().open(new StoreConfig(config(etcd)));
                    stores.add(store);
                    int worker = w;
                    workers.add(pool.submit(() -> {
                        Allocator allocator = new Allocator(store, POOL);
                        for (int n = 0; !stop.get(); n++) {
                            Owner owner = new Owner("w" + worker + "-" + n, "net1", "");
                            try {
                                Optional<IpAddress> ip = allocator.add(owner);
                                ip.ifPresent(a -> confirmed.put(a, owner));
                                if (down.get() == false && ip.isPresent()) {
                                    successesAfter.incrementAndGet();
                                }
                                if (ip.isPresent() && n % 3 == 0) {
                                    confirmed.remove(ip.get());
                                    uncertain.put(ip.get(), owner);
                                    allocator.del(ip.get(), owner);
                                    uncertain.remove(ip.get());
                                }
                            } catch (StoreUnavailableException e) {
                                // An ADD whose commit was cut may or may not have landed: the owner is unknown to the checker.
                                if (down.get()) {
                                    failuresWhileDown.incrementAndGet();
                                }
                                EtcdServer.sleep(20);
                            }
                        }
                        return null;
                    }));
                }
                EtcdServer.sleep(1500);
                down.set(true);
                etcd.kill();
                EtcdServer.sleep(2000);
                etcd.restart();
                down.set(false);
                int before = successesAfter.get();
                long until = System.nanoTime() + 60_000_000_000L;
                while (successesAfter.get() < before + 10 && System.nanoTime() < until) {
                    EtcdServer.sleep(50);
                }
                stop.set(true);
                for (Future<?> f : workers) {
                    f.get();
                }
            } finally {
                stores.forEach(IpamStore::close);
            }
            assertTrue(failuresWhileDown.get() > 0, "calls must fail while etcd is down");
            assertTrue(successesAfter.get() > 0, "calls must succeed after the restart");
            try (IpamStore store = new EtcdStoreProvider().open(new StoreConfig(config(etcd)))) {
                Map<IpAddress, Owner> pool = store.read(POOL).allocations();
                confirmed.forEach((ip, owner) -> assertEquals(owner, pool.get(ip), "confirmed ADD lost: " + ip));
                Map<IpAddress, Owner> reserved = new HashMap<>();
                store.reservations().forEach(r -> reserved.put(r.ip(), r.owner()));
                assertEquals(pool, reserved, "an allocation and its reservation are written together or not at all");
            }
        }
    }

    private static Map<String, Object> config(EtcdServer etcd) {
        Map<String, Object> cfg = etcd.config("/fault");
        cfg.put("etcd_timeout_ms", 10_000);
        return cfg;
    }
}
