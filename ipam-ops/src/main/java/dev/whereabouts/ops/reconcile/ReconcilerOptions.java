package dev.whereabouts.ops.reconcile;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of a {@link Reconciler}.
 *
 * @param podGrace a pod younger than this keeps its addresses whatever its network-status says.
 *     Default 10 minutes: kubelet gives a sandbox 4 minutes to come up and Multus writes network-status
 *     only after every attachment succeeded, so a pod whose ADD is slow (upstream #313, #508) can be
 *     minutes old before its status shows the address. Ten minutes covers two full sandbox attempts.
 * @param leftoverGrace a reservation that no pool entry backs is removed only when a pass saw it
 *     unbacked at least this long ago and it is still unbacked now. During an ADD the store writes the
 *     reservation before the pool entry, so a single observation cannot tell a crash leftover from an
 *     ADD in flight. Default 2 minutes, far above one ADD's reserve-then-write window (one store
 *     round trip, bounded by the store's timeout).
 * @param maxCommitAttempts how often one pool's removal is retried on a version conflict before the
 *     pool is reported as failed (the other pools still proceed)
 * @since 0.1
 */
public record ReconcilerOptions(Duration podGrace, Duration leftoverGrace, int maxCommitAttempts) {

    /** The defaults described above (10 minutes, 2 minutes, 20 attempts). */
    public static final ReconcilerOptions DEFAULTS =
            new ReconcilerOptions(Duration.ofMinutes(10), Duration.ofMinutes(2), 20);

    /** Checks the values. */
    public ReconcilerOptions {
        Objects.requireNonNull(podGrace, "podGrace");
        Objects.requireNonNull(leftoverGrace, "leftoverGrace");
        if (podGrace.isNegative() || leftoverGrace.isNegative() || maxCommitAttempts < 1) {
            throw new IllegalArgumentException("grace periods must be >= 0 and attempts >= 1");
        }
    }

    /** These options with another pod grace period. */
    public ReconcilerOptions withPodGrace(Duration grace) {
        return new ReconcilerOptions(grace, leftoverGrace, maxCommitAttempts);
    }

    /** These options with another leftover grace period. */
    public ReconcilerOptions withLeftoverGrace(Duration grace) {
        return new ReconcilerOptions(podGrace, grace, maxCommitAttempts);
    }
}
