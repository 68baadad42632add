package dev.whereabouts.ops.reconcile;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolSnapshot;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.spi.CommitOutcome;
import dev.whereabouts.ipam.spi.IpamStore;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes given allocations from one pool with the engine's discipline: read, keep only the entries
 * that still hold the same address for the same owner, commit against the version read, and start
 * over on a conflict. Shared by the reconciler and {@code ctl release}.
 *
 * @since 0.1
 */
public final class PoolReleaser {

    private final IpamStore store;
    private final int maxAttempts;

    /** Releases through {@code store}, trying each pool up to {@code maxAttempts} times. */
    public PoolReleaser(IpamStore store, int maxAttempts) {
        this.store = store;
        this.maxAttempts = maxAttempts;
    }

    /**
     * Removes those of {@code wanted} that are still in the pool unchanged, together with their
     * reservations, and returns the ones removed. A failure is added to {@code failures} and nothing
     * is returned for the pool.
     */
    public List<Allocation> release(PoolKey key, List<Allocation> wanted, List<String> failures) {
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            PoolSnapshot snap;
            try {
                snap = store.read(key);
            } catch (RuntimeException e) {
                failures.add("pool " + key + ": " + e.getMessage());
                return List.of();
            }
            List<Allocation> still = new ArrayList<>();
            for (Allocation a : wanted) {
                if (a.owner().equals(snap.allocations().get(a.ip()))) {
                    still.add(a);
                }
            }
            if (still.isEmpty()) {
                return List.of();
            }
            List<IpAddress> ips = still.stream().map(Allocation::ip).toList();
            List<Reservation> unreserve = still.stream()
                    .map(a -> new Reservation(key.networkName(), a.ip(), a.owner()))
                    .toList();
            CommitOutcome outcome;
            try {
                outcome = store.commit(key, snap.version(), new PoolChange(List.of(), ips, List.of(), unreserve));
            } catch (RuntimeException e) {
                failures.add("pool " + key + ": " + e.getMessage());
                return List.of();
            }
            switch (outcome) {
                case CommitOutcome.Committed c -> {
                    return still;
                }
                case CommitOutcome.Conflict c -> {
                    // someone wrote the pool since we read it: read again
                }
                case CommitOutcome.ReservationTaken t -> {
                    failures.add("pool " + key + ": unexpected reservation conflict on " + t.holder().objectName());
                    return List.of();
                }
            }
        }
        failures.add("pool " + key + ": still conflicting after " + maxAttempts + " attempts");
        return List.of();
    }
}
