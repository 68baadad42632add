package dev.whereabouts.hammer;

import dev.whereabouts.ipam.api.AttachmentId;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ops.reconcile.PodDirectory;
import dev.whereabouts.ops.reconcile.PodState;
import dev.whereabouts.ops.reconcile.ReconcileReport;
import dev.whereabouts.ops.reconcile.Reconciler;
import dev.whereabouts.ops.reconcile.ReconcilerOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the cluster's reconciler does after a crash, run once the workers are stopped: it removes
 * reservations that no pool entry backs. A store that cannot write a reservation and its pool entry
 * atomically (Kubernetes) leaves such a reservation when an ADD or DEL dies between the two writes;
 * the contract allows that leftover because it blocks an address without ever giving it two owners,
 * and this sweep proves the reconciler reclaims it.
 *
 * <p>Every pod the workers think alive is reported running and carrying exactly its live address, so
 * the sweep judges allocations the way the journals do and only the leftover rule can fire on its own.
 */
final class LeftoverSweep {

    private LeftoverSweep() {}

    /** Runs two reconciler passes (a leftover must be seen unbacked twice) and returns what they removed. */
    static int run(IpamStore store, Map<AttachmentId, IpAddress> live, Map<IpAddress, Owner> stored) {
        Map<String, Set<IpAddress>> ipsByPod = new HashMap<>();
        stored.forEach((ip, owner) -> {
            if (ip.equals(live.get(owner.attachment()))) {
                ipsByPod.computeIfAbsent(owner.podRef(), k -> new HashSet<>()).add(ip);
            }
        });
        PodDirectory allRunning = podRef -> Optional.ofNullable(ipsByPod.get(podRef))
                .map(ips -> new PodState(podRef, podRef, Instant.EPOCH, "Running", false, false,
                        Optional.of(ips), Set.of()));
        // No ADD is in flight any more, so the leftover grace the daemon needs can be zero here.
        ReconcilerOptions options = ReconcilerOptions.DEFAULTS.withLeftoverGrace(Duration.ZERO);
        Reconciler reconciler = new Reconciler(store, allRunning, options, new TickingClock());
        reconciler.run();
        ReconcileReport second = reconciler.run();
        return second.removedReservations().size();
    }

    /** A clock that moves one second on every reading, so the second pass is later than the first. */
    private static final class TickingClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public synchronized Instant instant() {
            now = now.plusSeconds(1);
            return now;
        }
    }
}
