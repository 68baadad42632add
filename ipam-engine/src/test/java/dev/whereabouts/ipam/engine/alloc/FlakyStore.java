package dev.whereabouts.ipam.engine.alloc;

import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolSnapshot;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.api.StoreUnavailableException;
import dev.whereabouts.ipam.spi.CommitOutcome;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.store.tck.ForwardingStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The store kit's reference store behind faults drawn from the simulation's own random source:
 * reads that fail, commits that conflict without a reason, commits that fail before writing,
 * commits that write but lose their answer (the caller cannot tell these last two apart), and
 * commits that die after the pool write but before claiming their reservations, as a store that
 * writes the pool first (Kubernetes) can when its process is killed in between. That last fault
 * spares changes that release reservations: a reservation left behind by a DEL is the
 * reconciler's to remove, not the engine's.
 *
 * <p>With a feed, it also plays a change feed that lags at random: asked for something newer than a
 * version, it delivers nothing, or any later state the pool really had (not always the latest), as a
 * watch whose events are still on their way would.
 */
final class FlakyStore extends ForwardingStore {

    private final Random random;
    private final boolean feed;
    /** Every state each pool had, oldest first, for the feed. */
    private final Map<PoolKey, List<PoolSnapshot>> history = new HashMap<>();
    private boolean faulty = true;

    FlakyStore(IpamStore real, Random random, boolean feed) {
        super(real);
        this.random = random;
        this.feed = feed;
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
        if (!expected.equals(PoolVersion.ABSENT) && !change.reserve().isEmpty() && change.unreserve().isEmpty()
                && roll(3)) {
            CommitOutcome poolOnly = super.commit(key, expected,
                    new PoolChange(change.put(), change.remove(), List.of(), List.of()));
            if (!(poolOnly instanceof CommitOutcome.Committed)) {
                return poolOnly;
            }
            history.computeIfAbsent(key, k -> new ArrayList<>()).add(super.read(key));
            throw new StoreUnavailableException("injected: commit to " + key + " died before its reservations", null);
        }
        CommitOutcome outcome = super.commit(key, expected, change);
        if (outcome instanceof CommitOutcome.Committed) {
            history.computeIfAbsent(key, k -> new ArrayList<>()).add(super.read(key));
        }
        if (roll(3)) {
            throw new StoreUnavailableException("injected: commit to " + key + " lost its answer", null);
        }
        return outcome;
    }

    @Override
    public Optional<PoolSnapshot> awaitNewer(PoolKey key, PoolVersion seen, Duration maxWait) {
        List<PoolSnapshot> states = history.getOrDefault(key, List.of());
        int from = 0;
        for (int i = 0; i < states.size(); i++) {
            if (states.get(i).version().equals(seen)) {
                from = i + 1;
            }
        }
        if (!feed || from >= states.size() || random.nextInt(4) == 0) {
            return Optional.empty();
        }
        return Optional.of(states.get(from + random.nextInt(states.size() - from)));
    }
}
