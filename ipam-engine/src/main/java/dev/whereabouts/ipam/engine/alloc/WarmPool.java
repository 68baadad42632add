package dev.whereabouts.ipam.engine.alloc;

import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolSnapshot;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.spi.IpamStore;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.random.RandomGenerator;

/**
 * One pool as this process last saw it, and the rounds of a batch against it. After a write, the
 * pool as written is kept and the next batch decides on it without reading; the conditional write
 * is still the guard, so a copy made stale by another writer costs one conflict and one read, never
 * a wrong answer. After a lost race its picks spread out for a while (see {@link RoundPlan#decide}).
 *
 * <p>With a store that follows its pools ({@link IpamStore#awaitNewer}), a lost race waits for the
 * write that won, as the store's feed delivers it, instead of reading the whole pool. What the feed
 * delivers may already be outdated, so it counts as a copy from memory, not as a read. Without a
 * feed, or when it stays silent, the round reads.
 *
 * <p>Single-threaded: only a lane's leader (or the simulation) calls it.
 */
final class WarmPool {

    /** What the caller does next. */
    enum Next {
        /** Every request of the batch has its answer. */
        DONE,
        /** Go again at once, on a fresh read (an address to re-pick, or a copy to confirm). */
        AGAIN,
        /** Another writer won, or holds an address we wanted: back off or take turns, then go again on a fresh read. */
        AFTER_CONFLICT
    }

    /**
     * How far above the lowest free address a contended pool's picks may land: a few batches' worth,
     * enough for several racing nodes to miss each other, small enough to keep a pool dense.
     */
    static final long CONTENDED_SPREAD = 4L * PoolLane.MAX_BATCH;
    /**
     * The most writes after lost races during which picks stay spread and each write reads first.
     * The window doubles with each lost race, from one write: a lone conflict (another client wrote
     * once, say a CNI GC) costs one more read, not sixteen, which on a pool of 50,000 etcd keys was
     * sixteen reads of 300 ms; a pool that stays contended reaches the full window in four.
     */
    private static final int CONTENDED_WRITES = 16;
    /**
     * How long a round waits for the feed to deliver the write that beat it. That write is already
     * in the store, so its event is normally milliseconds away; a feed that stays silent this long
     * is lagging or broken, and a read is the faster way on.
     */
    static final Duration FEED_WAIT = Duration.ofMillis(200);

    private final IpamStore store;
    private final PoolKey key;
    private final RandomGenerator random;
    private final LaneMetrics metrics;
    private PoolSnapshot warm;
    /** The newest version this process knows the pool had (read, written or fed); null before that. */
    private PoolVersion known;
    /** Whether a write on {@link #known} lost its race: the store holds something newer. */
    private boolean outdated;
    /** Allocations in the pool as last read or written, -1 before that; read by the scraping thread. */
    private volatile int used = -1;
    private int contendedWrites;
    private int repicksInARow;

    WarmPool(IpamStore store, PoolKey key, RandomGenerator random) {
        this(store, key, random, new LaneMetrics());
    }

    WarmPool(IpamStore store, PoolKey key, RandomGenerator random, LaneMetrics metrics) {
        this.store = store;
        this.key = key;
        this.random = random;
        this.metrics = metrics;
    }

    /** Allocations in the pool as this process last read or wrote it; empty before either. */
    OptionalInt used() {
        int u = used;
        return u < 0 ? OptionalInt.empty() : OptionalInt.of(u);
    }

    PoolKey key() {
        return key;
    }

    /** Other writers may have written since the warm copy: the next round takes a newer fed copy, or reads. */
    void forget() {
        warm = null;
    }

    /** One round: expire, take the pool at hand (warm, fed) or read it, decide, write. */
    Next round(PoolBatch batch) {
        batch.expire();
        if (batch.done()) {
            return Next.DONE;
        }
        PoolSnapshot snapshot = atHand();
        boolean fresh = snapshot == null;
        if (fresh) {
            try {
                snapshot = store.read(key);
            } catch (RuntimeException e) {
                metrics.readError.inc();
                batch.failAll(e);
                return Next.DONE;
            }
            metrics.readOk.inc();
        }
        seen(snapshot);
        warm = null; // whatever happens below, only a known outcome puts a copy back
        long spread = contendedWrites > 0 ? CONTENDED_SPREAD : 0;
        return switch (batch.round(store, snapshot, fresh, spread, random)) {
            case PoolBatch.Round.Written w -> {
                warm = w.after();
                seen(warm);
                repicksInARow = 0;
                contendedWrites = Math.max(0, contendedWrites - 1);
                yield Next.DONE;
            }
            case PoolBatch.Round.Repick r -> {
                // A reservation held elsewhere is either an overlapping range's address (skip it and
                // take the next lowest, as upstream does) or another node writing this very pool.
                // One is luck; a second in a row is a race: then fresh reads, turns and spread picks.
                metrics.retryRepick.inc();
                if (++repicksInARow == 1) {
                    yield Next.AGAIN;
                }
                contendedWrites = widened();
                yield Next.AFTER_CONFLICT;
            }
            case PoolBatch.Round.Unverified u -> {
                metrics.retryConfirm.inc();
                yield Next.AGAIN;
            }
            case PoolBatch.Round.Stale s -> {
                metrics.retryConflict.inc();
                outdated = true;
                repicksInARow = 0;
                contendedWrites = widened();
                yield Next.AFTER_CONFLICT;
            }
            case PoolBatch.Round.Full f -> Next.AGAIN; // nothing was written: the rest decide again on a read
            case PoolBatch.Round.Failed f -> Next.DONE;
        };
    }

    /**
     * The pool to decide on without a read: after a lost race, the write that won as the feed
     * delivers it; else the warm copy; null when only a read will do. While other nodes win races, a
     * copy this process wrote is most likely outdated, so a contended pool (or one whose copy was
     * dropped for a turn) takes what the feed last delivered, if that is newer, and reads otherwise.
     */
    private PoolSnapshot atHand() {
        if (outdated) {
            return fed(FEED_WAIT);
        }
        if (contendedWrites == 0 && warm != null) {
            return warm;
        }
        // Nodes taking turns write, then give the turn back, so the write that came before ours has
        // normally been delivered by the time the turn is ours: on a 64-writer burst on the mock API,
        // a read per turn was an eighth of the requests, each one the whole pool.
        return known == null ? null : fed(Duration.ZERO);
    }

    private PoolSnapshot fed(Duration maxWait) {
        Optional<PoolSnapshot> newer = store.awaitNewer(key, known, maxWait);
        if (newer.isPresent()) {
            metrics.readFed.inc();
        }
        return newer.orElse(null);
    }

    private void seen(PoolSnapshot snapshot) {
        known = snapshot.version();
        outdated = false;
        used = snapshot.allocations().size();
    }

    private int widened() {
        return Math.min(CONTENDED_WRITES, 2 * contendedWrites + 1);
    }
}
