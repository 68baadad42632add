package dev.whereabouts.ops.reconcile;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolSnapshot;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.spi.CommitOutcome;
import dev.whereabouts.ipam.spi.IpamStore;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes back the pool entry of a reservation whose pod still lists the address. Upstream's ADD can
 * succeed with the reservation created but the pool write lost (compat notes §15.2); clusters that
 * migrate carry that state, and freeing the reservation would let the next ADD hand a live pod's
 * address to a second pod. Recording the entry instead makes pool and reservation agree again.
 */
final class EntryRestorer {

    /** What became of one reservation. */
    sealed interface Outcome {
        /** The entry was written (or, in a dry run, would be) into {@code pool}. */
        record Restored(PoolKey pool) implements Outcome {}

        /** The pool already gives the address to {@code holder}: nothing written, reservation kept. */
        record HeldByOther(PoolKey pool, Owner holder) implements Outcome {}

        /** No pool of the network contains the address: nothing to write into, reservation kept. */
        record NoPool() implements Outcome {}
    }

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    private final IpamStore store;
    private final PodDirectory pods;
    private final int maxAttempts;

    EntryRestorer(IpamStore store, PodDirectory pods, int maxAttempts) {
        this.store = store;
        this.pods = pods;
        this.maxAttempts = maxAttempts;
    }

    /**
     * Whether {@code r} belongs to a pod that lists its address now and a pool of its network covers
     * the address; such a reservation is never a leftover, and its missing pool entry is written back.
     */
    boolean keptForLivePod(Reservation r, boolean dryRun, BooleanSupplier stillAllowed,
            List<ReconcileReport.Removal> restored, List<String> failures) {
        if (!Reconciler.managed(r.owner().podRef())) {
            return false;
        }
        Optional<PodState> pod;
        try {
            pod = pods.find(r.owner().podRef());
        } catch (RuntimeException e) {
            failures.add("reservation " + r.objectName() + ": pod lookup failed, kept: " + e.getMessage());
            return true;
        }
        boolean listed = pod.filter(p -> !(p.terminating() && p.evictedFromLostNode()))
                .flatMap(PodState::secondaryIps).filter(ips -> ips.contains(r.ip())).isPresent();
        if (!listed) {
            return false;
        }
        if (!dryRun && !stillAllowed.getAsBoolean()) {
            return true;
        }
        try {
            switch (restore(r, dryRun)) {
                case EntryRestorer.Outcome.Restored done -> {
                    restored.add(new ReconcileReport.Removal(done.pool(), new Allocation(r.ip(), r.owner()),
                            "reservation without pool entry; the pod lists the address"));
                    LOG.warn("{}restored the missing pool entry {} of {} in pool {}: its reservation {} was unbacked"
                            + " and the pod lists the address", dryRun ? "(dry run) " : "", r.ip(),
                            r.owner().podRef(), done.pool(), r.objectName());
                }
                case EntryRestorer.Outcome.HeldByOther other -> LOG.warn("reservation {} of live pod {} kept: pool {}"
                        + " gives {} to {}", r.objectName(), r.owner().podRef(), other.pool(), r.ip(), other.holder());
                case EntryRestorer.Outcome.NoPool none -> {
                    // No pool of this network covers the address, so no ADD on this network handed it
                    // out: the pod lists it for some other network, and this one is a plain leftover.
                    return false;
                }
            }
        } catch (RuntimeException e) {
            failures.add("reservation " + r.objectName() + ": restoring its pool entry: " + e.getMessage());
        }
        return true;
    }

    /**
     * Restores {@code r}'s entry in the narrowest pool of its network that contains the address; with
     * overlapping ranges any of them would do, because the reservation, not the entry, is what stops
     * the other pools from handing the address out.
     */
    Outcome restore(Reservation r, boolean dryRun) {
        Optional<PoolKey> target = store.pools().stream()
                .filter(k -> k.networkName().equals(r.networkName()) && k.range().contains(r.ip()))
                .max(Comparator.comparingInt(k -> k.range().prefix()));
        if (target.isEmpty()) {
            return new Outcome.NoPool();
        }
        PoolKey key = target.get();
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            PoolSnapshot snap = store.read(key);
            Owner holder = snap.allocations().get(r.ip());
            if (holder != null) {
                return holder.podRef().equals(r.owner().podRef())
                        ? new Outcome.Restored(key) : new Outcome.HeldByOther(key, holder);
            }
            if (dryRun) {
                return new Outcome.Restored(key);
            }
            CommitOutcome out = store.commit(key, snap.version(), PoolChange.put(new Allocation(r.ip(), r.owner())));
            if (out instanceof CommitOutcome.Committed) {
                return new Outcome.Restored(key);
            }
        }
        throw new IllegalStateException("pool " + key + " kept changing; entry for " + r.objectName() + " not restored");
    }
}
