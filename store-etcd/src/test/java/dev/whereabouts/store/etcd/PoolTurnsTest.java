package dev.whereabouts.store.etcd;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.spi.ContentionLock;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Turns on a contended pool, across two clients of one real etcd. */
class PoolTurnsTest {

    static final PoolKey POOL = PoolKey.of(Cidr.parse("10.41.0.0/24"), "");
    static final PoolKey OTHER = PoolKey.of(Cidr.parse("10.42.0.0/24"), "");

    private static EtcdServer etcd;
    private final List<IpamStore> opened = new ArrayList<>();
    private final String prefix = "/turns-" + UUID.randomUUID();

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdServer.start();
    }

    @AfterAll
    static void stopEtcd() {
        etcd.stop();
    }

    @AfterEach
    void closeAll() {
        opened.forEach(IpamStore::close);
    }

    private ContentionLock client() {
        IpamStore s = new EtcdStoreProvider().open(new StoreConfig(etcd.config(prefix)));
        opened.add(s);
        return assertInstanceOf(ContentionLock.class, s, "the etcd store offers turns");
    }

    @Test
    void oneClientAtATimeHoldsATurnAndClosingItLetsTheNextIn() {
        ContentionLock a = client();
        ContentionLock b = client();
        Optional<ContentionLock.Turn> first = a.awaitTurn(POOL, Duration.ofSeconds(2));
        assertTrue(first.isPresent(), "a free pool gives a turn at once");
        assertTrue(b.awaitTurn(POOL, Duration.ofMillis(300)).isEmpty(), "a held turn makes the other client wait");
        Optional<ContentionLock.Turn> other = b.awaitTurn(OTHER, Duration.ofSeconds(2));
        assertTrue(other.isPresent(), "turns are per pool");
        other.get().close();
        first.get().close();
        Optional<ContentionLock.Turn> second = b.awaitTurn(POOL, Duration.ofSeconds(2));
        assertTrue(second.isPresent(), "a closed turn lets the next client in");
        second.get().close();
    }

    /**
     * A client that never queued learns from its view of the lock's queue that another client holds
     * the turn, and that it is free again once given back; its own turn never counts.
     */
    @Test
    void aClientThatNeverQueuedLearnsFromItsViewThatAnotherHoldsTheTurn() throws Exception {
        ContentionLock a = client();
        ContentionLock b = client();
        assertFalse(b.turnTakenElsewhere(POOL), "the first question opens the view and answers no");
        assertFalse(a.turnTakenElsewhere(POOL));
        ContentionLock.Turn held = a.awaitTurn(POOL, Duration.ofSeconds(2)).orElseThrow();
        assertTrue(eventually(() -> b.turnTakenElsewhere(POOL)), "the other client sees the held turn");
        assertFalse(a.turnTakenElsewhere(POOL), "the holder does not count its own turn");
        var bQueues = CompletableFuture.supplyAsync(() -> b.awaitTurn(POOL, Duration.ofSeconds(10)));
        assertTrue(eventually(() -> a.turnTakenElsewhere(POOL)), "the holder sees the client queued behind it");
        held.close();
        ContentionLock.Turn next = bQueues.get(10, TimeUnit.SECONDS).orElseThrow();
        next.close();
        assertTrue(eventually(() -> !a.turnTakenElsewhere(POOL) && !b.turnTakenElsewhere(POOL)),
                "a given-back turn is free again");
        assertFalse(b.turnTakenElsewhere(OTHER), "another pool's queue is its own");
    }

    private static boolean eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }

    /**
     * etcd's lock key is the lock's name plus the lease, and a client reuses its lease: a client
     * asking again while its last unlock is still on its way would find its old key, keep its old
     * place at the head of the queue and jump the client waiting behind it.
     */
    @Test
    void aClientAskingAgainRightAfterItsTurnQueuesBehindTheClientAlreadyWaiting() throws Exception {
        try (io.etcd.jetcd.Client raw = etcd.client()) {
            io.etcd.jetcd.Lock real = raw.getLockClient();
            // an unlock still on its way for 300 ms when the next turn is asked for
            io.etcd.jetcd.Lock lateUnlock = new io.etcd.jetcd.Lock() {
                @Override
                public CompletableFuture<io.etcd.jetcd.lock.LockResponse> lock(io.etcd.jetcd.ByteSequence name, long lease) {
                    return real.lock(name, lease);
                }

                @Override
                public CompletableFuture<io.etcd.jetcd.lock.UnlockResponse> unlock(io.etcd.jetcd.ByteSequence key) {
                    return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS))
                            .thenCompose(v -> real.unlock(key));
                }
            };
            ContentionLock a = new PoolTurns(lateUnlock, raw.getLeaseClient(), new KeyLayout(prefix));
            ContentionLock b = client();
            ContentionLock.Turn first = a.awaitTurn(POOL, Duration.ofSeconds(5)).orElseThrow();
            var bWaits = CompletableFuture.supplyAsync(() -> b.awaitTurn(POOL, Duration.ofSeconds(10)));
            Thread.sleep(500); // b's lock key is queued behind a's
            first.close();
            var aAgain = CompletableFuture.supplyAsync(() -> a.awaitTurn(POOL, Duration.ofSeconds(10)));
            ContentionLock.Turn bTurn = bWaits.get(10, TimeUnit.SECONDS).orElseThrow();
            Thread.sleep(500);
            assertFalse(aAgain.isDone(), "a waits behind b, who holds the turn");
            bTurn.close();
            assertTrue(aAgain.get(10, TimeUnit.SECONDS).isPresent(), "then a gets its turn");
            aAgain.get().get().close();
        }
    }
}
