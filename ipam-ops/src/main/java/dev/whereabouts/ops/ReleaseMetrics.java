package dev.whereabouts.ops;

import dev.whereabouts.metrics.Counter;
import dev.whereabouts.metrics.Metrics;
import dev.whereabouts.ops.reconcile.ReconcileReport;

/**
 * Addresses given back by the cluster-side cleaners (the reconciler and the pod controller), counted
 * on the process registry that the node daemon and the controllers serve at {@code /metrics}. The
 * label values are a small fixed set, so the series never grow with the cluster.
 */
public final class ReleaseMetrics {

    private static final Counter RELEASED = Metrics.counter("whereabouts_addresses_released_total",
            "Addresses released by a cluster-side cleaner, by cleaner and reason.", "controller", "reason");

    private ReleaseMetrics() {}

    /** One address released by {@code controller} ({@code reconciler}, {@code pods}) for {@code reason}. */
    public static void released(String controller, String reason) {
        RELEASED.labels(controller, reason).inc();
    }

    /** What a reconciler pass removed; a dry run removed nothing. */
    public static void reconciled(ReconcileReport report) {
        if (report.dryRun()) {
            return;
        }
        report.removed().forEach(r -> released("reconciler", "stale_allocation"));
        report.removedReservations().forEach(r -> released("reconciler", "leftover_reservation"));
    }
}
