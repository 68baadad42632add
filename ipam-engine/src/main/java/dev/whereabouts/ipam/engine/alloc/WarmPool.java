package dev.whereabouts.ipam.engine.alloc;

import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolSnapshot;
import dev.whereabouts.ipam.spi.IpamStore;
import java.util.OptionalInt;
import java.util.random.RandomGenerator;

/**
 * One pool as this process last saw it, and the rounds of a batch against it. After a write, the
 * pool as written is kept and the next batch decides on it without reading; the conditional write
 * is still the guard, so a copy made stale by another writer costs one conflict and one read, never
 * a wrong answer. After a lost race its picks spread out for a while (see {@link RoundPlan#decide}).
 * Single-threaded: only a lane's leader (or the simulation) calls it.
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

    private final IpamStore store;
    private final PoolKey key;
    private final RandomGenerator random;
    private final LaneMetrics metrics;
    private PoolSnapshot warm;
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

    /** Drops the warm copy: the next round reads. */
    void forget() {
        warm = null;
    }

    /** One round: expire, read if nothing warm, decide, write. */
    Next round(PoolBatch batch) {
        batch.expire();
        if (batch.done()) {
            return Next.DONE;
        }
        // While other nodes win races on this pool, a copy from memory is most likely outdated;
        // reading right before the write keeps the window for the next lost race short.
        boolean fresh = warm == null || contendedWrites > 0;
        PoolSnapshot snapshot;
        if (fresh) {
            try {
                snapshot = store.read(key);
            } catch (RuntimeException e) {
                metrics.readError.inc();
                batch.failAll(e);
                return Next.DONE;
            }
            metrics.readOk.inc();
            used = snapshot.allocations().size();
        } else {
            snapshot = warm;
        }
        warm = null; // whatever happens below, only a known outcome puts a copy back
        long spread = contendedWrites > 0 ? CONTENDED_SPREAD : 0;
        return switch (batch.round(store, snapshot, fresh, spread, random)) {
            case PoolBatch.Round.Written w -> {
                warm = w.after();
                used = warm.allocations().size();
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
                repicksInARow = 0;
                contendedWrites = widened();
                yield Next.AFTER_CONFLICT;
            }
            case PoolBatch.Round.Failed f -> Next.DONE;
        };
    }

    private int widened() {
        return Math.min(CONTENDED_WRITES, 2 * contendedWrites + 1);
    }
}
