package dev.whereabouts.ipam.engine.alloc;

import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.spi.ContentionLock;
import dev.whereabouts.ipam.spi.IpamStore;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for one pool in one process. Concurrent callers queue their requests; the caller at
 * the head of the queue becomes the leader, takes up to {@link #MAX_BATCH} requests in arrival
 * order and serves them with one read-decide-write, then hands the lead to the next waiting caller.
 * So a burst of N ADDs on one node costs about N / MAX_BATCH writes instead of N writes and N reads
 * racing each other, and callers of one node never conflict with each other at all.
 *
 * <p>The pool as this process last wrote it stays in memory: the next batch decides on it without a
 * read, and the store's conditional write still checks it. Another writer makes that write
 * conflict, and only then is the pool read again. While a pool is contended (other nodes keep
 * winning), a store that offers a {@link ContentionLock} makes the nodes take turns, first come
 * first served, so no node's callers starve; without one, back-off grows. A node that has not lost
 * a race also waits in line while another node holds the turn, because its own fresh copy of the
 * pool would otherwise win every race against the nodes taking turns. Either way requests that
 * arrive meanwhile join the waiting batch, so each write carries more of them.
 */
final class PoolLane {

    /**
     * Requests per write. Bounds the latency of the last request of a batch and keeps one write
     * inside a single etcd transaction (two operations and a guard per overlapping allocation
     * against etcd's default of 128 operations).
     */
    static final int MAX_BATCH = 32;

    private static final Logger LOG = LoggerFactory.getLogger(PoolLane.class);
    /** How long a pool counts as contended after a lost race: its next batches take turns up front. */
    private static final long CONTENDED_FOR_NANOS = Duration.ofSeconds(1).toNanos();
    /** Time kept back from waiting for a turn, for the read and the write once it comes. */
    private static final Duration WRITE_RESERVE = Duration.ofSeconds(1);
    private static final long MIN_PAUSE_NANOS = Duration.ofMillis(1).toNanos();
    private static final long MAX_PAUSE_NANOS = Duration.ofMillis(100).toNanos();

    private static final class Waiter {
        final PoolRequest request;
        boolean lead;

        Waiter(PoolRequest request) {
            this.request = request;
        }
    }

    private final PoolKey key;
    private final IpamStore store;
    private final WarmPool pool;
    private final LaneMetrics metrics;
    /** The plan of the last ADD queued here, for the pool-size gauge; read when scraped. */
    private volatile RangePlan plan;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition moved = lock.newCondition();
    private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
    private boolean busy;
    /** Until when the pool counts as contended; written by leaders, handed over under {@link #lock}. */
    private long contendedUntilNanos = System.nanoTime();

    PoolLane(IpamStore store, PoolKey key, LaneMetrics metrics) {
        this.key = key;
        this.store = store;
        this.metrics = metrics;
        this.pool = new WarmPool(store, key, new SplittableRandom(), metrics);
    }

    PoolKey key() {
        return key;
    }

    /** Addresses the pool can hand out, once an ADD has planned it here. */
    OptionalDouble size() {
        RangePlan p = plan;
        return p == null ? OptionalDouble.empty() : OptionalDouble.of(p.size().doubleValue());
    }

    /** Addresses allocated, once this process has read or written the pool. */
    OptionalInt used() {
        return pool.used();
    }

    /** Returns once {@code request} has its answer. */
    void serve(PoolRequest request) {
        Waiter me = new Waiter(request);
        lock.lock();
        try {
            queue.addLast(me);
            if (!busy) {
                busy = true;
                me.lead = true;
            }
            while (!me.lead && !request.answered()) {
                moved.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
        if (!request.answered()) {
            lead();
        }
    }

    private void lead() {
        PoolBatch batch = new PoolBatch(key, metrics);
        try {
            runRounds(batch);
        } catch (RuntimeException | Error e) {
            batch.failAll(e instanceof RuntimeException r ? r : new IllegalStateException(e));
            throw e;
        } finally {
            handOff();
            metrics.batchRequests.observe(batch.size());
        }
    }

    private void runRounds(PoolBatch batch) {
        int conflicts = 0;
        ContentionLock.Turn turn = null;
        try {
            while (true) {
                topUp(batch);
                if (turn == null && store instanceof ContentionLock lock && (conflicts > 0
                        || System.nanoTime() - contendedUntilNanos < 0 || lock.turnTakenElsewhere(key))) {
                    turn = awaitTurn(lock, batch);
                    topUp(batch);
                }
                switch (pool.round(batch)) {
                    case DONE -> {
                        return;
                    }
                    case AGAIN -> { }
                    case AFTER_CONFLICT -> {
                        contendedUntilNanos = System.nanoTime() + CONTENDED_FOR_NANOS;
                        LOG.debug("pool {} moved under a batch of {}; conflict {} in a row", key, batch.open(),
                                conflicts + 1);
                        // Holding the turn, the next try comes right after a fresh read; without
                        // one, spread out.
                        if (turn == null && !(store instanceof ContentionLock)) {
                            pause(conflicts + 1);
                        }
                        conflicts++;
                    }
                }
            }
        } finally {
            if (turn != null) {
                turn.close();
            }
        }
    }

    /**
     * Waits for this node's turn on a contended pool. Other nodes wrote while we waited, so the warm
     * copy is dropped: the first round under the turn reads.
     */
    private ContentionLock.Turn awaitTurn(ContentionLock lock, PoolBatch batch) {
        // Wait as long as the batch can afford and still write: racing instead, after a long wait,
        // only adds to the contention the turn is there to end.
        Duration wait = batch.timeLeft().minus(WRITE_RESERVE);
        if (wait.isNegative() || wait.isZero()) {
            return null;
        }
        Optional<ContentionLock.Turn> turn = lock.awaitTurn(key, wait);
        if (turn.isPresent()) {
            pool.forget();
            metrics.turnsTaken.inc();
        }
        return turn.orElse(null);
    }

    /** Moves waiting requests into the batch, oldest first, up to {@link #MAX_BATCH} open ones. */
    private void topUp(PoolBatch batch) {
        lock.lock();
        try {
            while (!queue.isEmpty() && batch.open() < MAX_BATCH) {
                PoolRequest r = queue.pollFirst().request;
                if (r instanceof PoolRequest.Allocate a) {
                    plan = a.plan();
                }
                batch.add(r);
            }
        } finally {
            lock.unlock();
        }
    }

    private void handOff() {
        lock.lock();
        try {
            Waiter next = queue.peekFirst();
            if (next == null) {
                busy = false;
            } else {
                next.lead = true;
            }
            moved.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Full-jitter back-off after a lost race. A conflict means another writer made progress, so
     * nobody starves; the pause only spreads the writers out, and requests that arrive meanwhile
     * join the batch.
     */
    private static void pause(int conflicts) {
        long cap = Math.min(MAX_PAUSE_NANOS, MIN_PAUSE_NANOS << Math.min(conflicts, 10));
        long nanos = ThreadLocalRandom.current().nextLong(MIN_PAUSE_NANOS / 2, cap + 1);
        try {
            Thread.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
