package dev.whereabouts.ipam.engine.alloc;

import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolSnapshot;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.api.StoreUnavailableException;
import dev.whereabouts.ipam.spi.CommitOutcome;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.store.tck.ForwardingStore;
import java.util.Random;

/**
 * The store kit's reference store behind faults drawn from the simulation's own random source:
 * reads that fail, commits that conflict without a reason, commits that fail before writing, and
 * commits that write but lose their answer (the caller cannot tell these last two apart).
 */
final class FlakyStore extends ForwardingStore {

    private final Random random;
    private boolean faulty = true;

    FlakyStore(IpamStore real, Random random) {
        super(real);
        this.random = random;
    }

    /** From now on every call goes straight through (the store is "back"). */
    void heal() {
        faulty = false;
    }

    private boolean roll(int inHundred) {
        return faulty && random.nextInt(100) < inHundred;
    }

    @Override
    public PoolSnapshot read(PoolKey key) {
        if (roll(3)) {
            throw new StoreUnavailableException("injected: read of " + key + " failed", null);
        }
        return super.read(key);
    }

    @Override
    public CommitOutcome commit(PoolKey key, PoolVersion expected, PoolChange change) {
        if (roll(10)) {
            return new CommitOutcome.Conflict();
        }
        if (roll(3)) {
            throw new StoreUnavailableException("injected: commit to " + key + " failed before writing", null);
        }
        CommitOutcome outcome = super.commit(key, expected, change);
        if (roll(3)) {
            throw new StoreUnavailableException("injected: commit to " + key + " lost its answer", null);
        }
        return outcome;
    }
}
