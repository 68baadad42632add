package dev.whereabouts.ipam.engine.alloc;

import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolSnapshot;
import dev.whereabouts.ipam.spi.IpamStore;

/**
 * One pool as this process last saw it, and the rounds of a batch against it. After a write, the
 * pool as written is kept and the next batch decides on it without reading; the conditional write
 * is still the guard, so a copy made stale by another writer costs one conflict and one read, never
 * a wrong answer. Single-threaded: only a lane's leader (or the simulation) calls it.
 */
final class WarmPool {

    /** What the caller does next. */
    enum Next {
        /** Every request of the batch has its answer. */
        DONE,
        /** Go again at once (an address to re-pick, or a copy to confirm by reading). */
        AGAIN,
        /** Another writer won: back off, then go again on a fresh read. */
        AFTER_CONFLICT
    }

    private final IpamStore store;
    private final PoolKey key;
    private PoolSnapshot warm;

    WarmPool(IpamStore store, PoolKey key) {
        this.store = store;
        this.key = key;
    }

    PoolKey key() {
        return key;
    }

    /** One round: expire, read if nothing warm, decide, write. */
    Next round(PoolBatch batch) {
        batch.expire();
        if (batch.done()) {
            return Next.DONE;
        }
        boolean fresh = warm == null;
        PoolSnapshot snapshot;
        if (fresh) {
            try {
                snapshot = store.read(key);
            } catch (RuntimeException e) {
                batch.failAll(e);
                return Next.DONE;
            }
        } else {
            snapshot = warm;
        }
        warm = null; // whatever happens below, only a known outcome puts a copy back
        return switch (batch.round(store, snapshot, fresh)) {
            case PoolBatch.Round.Written w -> {
                warm = w.after();
                yield Next.DONE;
            }
            case PoolBatch.Round.Repick r -> {
                warm = snapshot;
                yield Next.AGAIN;
            }
            case PoolBatch.Round.Unverified u -> Next.AGAIN;
            case PoolBatch.Round.Stale s -> Next.AFTER_CONFLICT;
            case PoolBatch.Round.Failed f -> Next.DONE;
        };
    }
}
