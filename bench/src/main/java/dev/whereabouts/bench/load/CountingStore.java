package dev.whereabouts.bench.load;

import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolSnapshot;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.spi.CommitOutcome;
import dev.whereabouts.ipam.spi.ContentionLock;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.store.tck.ForwardingStore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * A store client that counts what the engine asks of it: pool reads, conditional writes and the
 * writes that lost a race. Reads and writes per allocation are what a burst costs the backend.
 */
class CountingStore extends ForwardingStore {

    final LongAdder reads = new LongAdder();
    final LongAdder commits = new LongAdder();
    final LongAdder conflicts = new LongAdder();

    private CountingStore(IpamStore store) {
        super(store);
    }

    /** Counts the calls to {@code store}, keeping its optional {@link ContentionLock}. */
    static CountingStore wrap(IpamStore store) {
        return store instanceof ContentionLock lock ? new WithTurns(store, lock) : new CountingStore(store);
    }

    private static final class WithTurns extends CountingStore implements ContentionLock {
        private final ContentionLock lock;

        WithTurns(IpamStore store, ContentionLock lock) {
            super(store);
            this.lock = lock;
        }

        @Override
        public Optional<Turn> awaitTurn(PoolKey pool, Duration maxWait) {
            return lock.awaitTurn(pool, maxWait);
        }
    }

    @Override
    public PoolSnapshot read(PoolKey key) {
        reads.increment();
        return super.read(key);
    }

    @Override
    public CommitOutcome commit(PoolKey key, PoolVersion expected, PoolChange change) {
        commits.increment();
        CommitOutcome outcome = super.commit(key, expected, change);
        if (!(outcome instanceof CommitOutcome.Committed)) {
            conflicts.increment();
        }
        return outcome;
    }
}
