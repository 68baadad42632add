package dev.whereabouts.ops.reconcile;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolSnapshot;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.spi.IpamStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes allocations whose pod is gone or no longer carries the address, and reservations that no
 * pool entry backs. Works on any {@link IpamStore}; pods come from a {@link PodDirectory}.
 *
 * <p>One pass:
 * <ol>
 *   <li>reads every reservation, then every pool, and only then the pods (a pod created after the pod
 *       lookup cannot have an allocation in pools read before it; upstream #207);</li>
 *   <li>judges each allocation with a pod reference (empty references are not Kubernetes-managed and
 *       are skipped): a missing pod is stale; a pending pod, a pod younger than
 *       {@link ReconcilerOptions#podGrace()} and a pod without a readable network-status keep their
 *       addresses; otherwise the address must appear in a non-default network-status entry. A pod
 *       re-created under the same name is judged by the new pod's status;</li>
 *   <li>removes stale entries per pool with {@code read} + {@code commit(version)}, retrying on
 *       conflict, and only entries whose address <em>and</em> exact owner are unchanged since they were
 *       judged (never by pod reference alone; upstream #176). Their reservations go in the same
 *       commit;</li>
 *   <li>removes leftover reservations that were unbacked in an earlier pass at least
 *       {@link ReconcilerOptions#leftoverGrace()} ago and still are (a pool's first ADD writes its
 *       reservation before the pool, and a refused commit removes the reservations it made, so one
 *       sighting proves nothing). A reservation whose pod lists the address in its
 *       network-status is never removed: its missing pool entry is written back instead.</li>
 * </ol>
 *
 * <p>The instance remembers unbacked reservations between passes, so a scheduler should keep one
 * instance. Not safe for concurrent passes; run one pass at a time (the scheduler holds a cluster
 * Lease for that).
 *
 * @since 0.1
 */
public final class Reconciler {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    private final IpamStore store;
    private final PodDirectory pods;
    private final ReconcilerOptions options;
    private final Clock clock;
    private final StalenessRules rules;
    private final EntryRestorer restorer;
    private final Map<Reservation, Instant> unbackedSince = new HashMap<>();

    /** A reconciler with its own clock (tests move time). */
    public Reconciler(IpamStore store, PodDirectory pods, ReconcilerOptions options, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.pods = Objects.requireNonNull(pods, "pods");
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.rules = new StalenessRules(options.podGrace());
        this.restorer = new EntryRestorer(store, pods, options.maxCommitAttempts());
    }

    /** A reconciler on the system clock. */
    public Reconciler(IpamStore store, PodDirectory pods, ReconcilerOptions options) {
        this(store, pods, options, Clock.systemUTC());
    }

    /** One pass that writes. */
    public ReconcileReport run() {
        return run(false, () -> true);
    }

    /** One pass that only reports what it would remove. */
    public ReconcileReport dryRun() {
        return run(true, () -> true);
    }

    /**
     * One pass. {@code stillAllowed} is asked before every write; when it turns false (the Lease was
     * lost) the pass stops writing and reports it.
     */
    public synchronized ReconcileReport run(boolean dryRun, BooleanSupplier stillAllowed) {
        Instant now = clock.instant();
        List<Reservation> reservations = store.reservations();
        List<PoolSnapshot> pools = new ArrayList<>();
        for (PoolKey key : store.pools()) {
            PoolSnapshot s = store.read(key);
            if (s.exists()) {
                pools.add(s);
            }
        }
        TreeSet<String> podRefs = new TreeSet<>();
        int scanned = 0;
        int unmanaged = 0;
        for (PoolSnapshot s : pools) {
            for (Owner o : s.allocations().values()) {
                scanned++;
                if (!managed(o.podRef())) {
                    unmanaged++;
                } else {
                    podRefs.add(o.podRef());
                }
            }
        }
        Map<String, PodState> live = pods.findAll(podRefs);

        List<ReconcileReport.Removal> removed = new ArrayList<>();
        List<ReconcileReport.Removal> kept = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        Map<PoolKey, List<Allocation>> stale = new LinkedHashMap<>();
        for (PoolSnapshot s : pools) {
            for (Allocation a : s.asList()) {
                if (!managed(a.owner().podRef())) {
                    continue;
                }
                Verdict v = rules.judge(a, Optional.ofNullable(live.get(a.owner().podRef())), now);
                switch (v) {
                    case Verdict.Stale st -> {
                        stale.computeIfAbsent(s.key(), k -> new ArrayList<>()).add(a);
                        removed.add(new ReconcileReport.Removal(s.key(), a, st.reason()));
                    }
                    case Verdict.Deferred d -> kept.add(new ReconcileReport.Removal(s.key(), a, d.reason()));
                    case Verdict.InUse u -> {
                        // the normal case: nothing to report
                    }
                }
            }
        }
        if (!dryRun) {
            List<ReconcileReport.Removal> done = new ArrayList<>();
            for (Map.Entry<PoolKey, List<Allocation>> e : stale.entrySet()) {
                if (!stillAllowed.getAsBoolean()) {
                    failures.add("stopped before pool " + e.getKey() + ": reconciler lease lost");
                    break;
                }
                List<Allocation> gone = new PoolReleaser(store, options.maxCommitAttempts())
                        .release(e.getKey(), e.getValue(), failures);
                for (Allocation a : gone) {
                    removed.stream().filter(r -> r.pool().equals(e.getKey()) && r.allocation().equals(a))
                            .findFirst().ifPresent(r -> {
                                done.add(r);
                                LOG.info("released {} of {} (container {}, interface {}) in pool {}: {}", a.ip(),
                                        a.owner().podRef(), a.owner().containerId(), a.owner().ifName(), e.getKey(),
                                        r.reason());
                            });
                }
            }
            removed = done;
        }
        List<Reservation> removedReservations = new ArrayList<>();
        List<Reservation> pending = new ArrayList<>();
        List<ReconcileReport.Removal> restored = new ArrayList<>();
        leftovers(reservations, pools, now, dryRun, stillAllowed, removedReservations, pending, restored, failures);
        ReconcileReport report = new ReconcileReport(dryRun, pools.size(), scanned, unmanaged, removed, kept,
                removedReservations, pending, failures, restored);
        LOG.info("reconcile{}: {} pools, {} allocations, {} stale removed, {} deferred, {} leftover reservations"
                        + " removed, {} pending, {} failures", dryRun ? " (dry run)" : "", pools.size(), scanned,
                removed.size(), kept.size(), removedReservations.size(), pending.size(), failures.size());
        return report;
    }

    /**
     * Only {@code namespace/name} references point at a pod; anything else (empty outside Kubernetes,
     * or written by some other runtime) is not ours to judge.
     */
    static boolean managed(String podRef) {
        int slash = podRef.indexOf('/');
        return slash > 0 && slash < podRef.length() - 1;
    }

    private void leftovers(List<Reservation> reservations, List<PoolSnapshot> pools, Instant now, boolean dryRun,
            BooleanSupplier stillAllowed, List<Reservation> removed, List<Reservation> pending,
            List<ReconcileReport.Removal> restored, List<String> failures) {
        Map<Reservation, Instant> seenNow = new HashMap<>();
        for (Reservation r : reservations) {
            if (Backing.backed(r, pools)) {
                continue;
            }
            if (restorer.keptForLivePod(r, dryRun, stillAllowed, restored, failures)) {
                continue;
            }
            Instant first = unbackedSince.getOrDefault(r, now);
            seenNow.put(r, first);
            boolean due = first.isBefore(now) && !first.plus(options.leftoverGrace()).isAfter(now);
            if (!due) {
                pending.add(r);
                continue;
            }
            if (dryRun) {
                removed.add(r);
                continue;
            }
            if (!stillAllowed.getAsBoolean()) {
                failures.add("left reservation " + r.objectName() + ": reconciler lease lost");
                continue;
            }
            // Re-read the pools that could back it right before removing: the pod may have been
            // re-added since the pass began.
            try {
                if (Backing.backedNow(r, store)) {
                    seenNow.remove(r);
                    continue;
                }
                if (store.removeReservation(r)) {
                    removed.add(r);
                    LOG.info("removed leftover reservation {} held by {}", r.objectName(), r.owner());
                }
                seenNow.remove(r);
            } catch (RuntimeException ex) {
                failures.add("reservation " + r.objectName() + ": " + ex.getMessage());
            }
        }
        unbackedSince.clear();
        unbackedSince.putAll(seenNow);
    }
}
