package dev.whereabouts.ops.cli;

import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import dev.whereabouts.ops.reconcile.KubernetesPodDirectory;
import dev.whereabouts.ops.reconcile.ReconcileReport;
import dev.whereabouts.ops.reconcile.Reconciler;
import dev.whereabouts.ops.reconcile.ReconcilerOptions;
import dev.whereabouts.ops.schedule.ReconcilerLease;
import dev.whereabouts.ops.schedule.ScheduledReconciler;
import dev.whereabouts.store.kubernetes.client.KubernetesClients;
import dev.whereabouts.store.kubernetes.client.KubernetesConnection;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code reconcile}: one reconciler pass on demand. A writing pass holds the cluster's reconciler
 * Lease like a scheduled one; {@code --dry-run} only reads and needs no Lease.
 * {@code --leftover-wait N} runs a second pass N seconds later so that leftover reservations seen in
 * the first can be confirmed and removed in the same invocation.
 */
final class ReconcileCommand {

    private final IpamStore store;
    private final StoreConfig config;
    private final Map<String, String> env;

    ReconcileCommand(IpamStore store, StoreConfig config, Map<String, String> env) {
        this.store = store;
        this.config = config;
        this.env = env;
    }

    int run(CtlArgs a, PrintStream out, PrintStream err) {
        boolean dryRun = a.flag("--dry-run");
        long wait = a.seconds("--leftover-wait", 0);
        ReconcilerOptions options = ReconcilerOptions.DEFAULTS.withLeftoverGrace(Duration.ofSeconds(wait));
        if (a.value("--pod-grace").isPresent()) {
            options = options.withPodGrace(Duration.ofSeconds(a.seconds("--pod-grace", 0)));
        }
        try (KubernetesConnection k8s = KubernetesClients.connect(config, env)) {
            Clock clock = Clock.systemUTC();
            Reconciler reconciler = new Reconciler(store, new KubernetesPodDirectory(k8s.client()), options, clock);
            ReconcilerLease lease = ReconcilerLease.standard(k8s.client(), k8s.namespace(), identity());
            ReconcileReport report = pass(reconciler, lease, clock, dryRun).orElse(null);
            if (report != null && wait > 0 && !report.pendingReservations().isEmpty()) {
                try {
                    Thread.sleep(Duration.ofSeconds(wait));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ReconcileReport second = pass(reconciler, lease, clock, dryRun).orElse(null);
                report = second == null ? report : merge(report, second);
            }
            if (report == null) {
                err.println("error: another reconciler holds lease " + k8s.namespace() + "/"
                        + dev.whereabouts.ops.RequiredPermissions.RECONCILER_LEASE + " ("
                        + lease.holder().orElse("unknown") + "); try again later");
                return Ctl.FAILED;
            }
            print(a, out, report);
            for (String f : report.failures()) {
                err.println("error: " + f);
            }
            return report.ok() ? Ctl.OK : Ctl.FAILED;
        }
    }

    private static Optional<ReconcileReport> pass(Reconciler r, ReconcilerLease lease, Clock clock, boolean dryRun) {
        if (dryRun) {
            return Optional.of(r.dryRun());
        }
        return ScheduledReconciler.runLeased(r, lease, clock, clock.instant(), false);
    }

    private static ReconcileReport merge(ReconcileReport first, ReconcileReport second) {
        List<ReconcileReport.Removal> removed = new ArrayList<>(first.removed());
        removed.addAll(second.removed());
        List<Reservation> gone = new ArrayList<>(first.removedReservations());
        gone.addAll(second.removedReservations());
        List<String> failures = new ArrayList<>(first.failures());
        failures.addAll(second.failures());
        List<ReconcileReport.Removal> restored = new ArrayList<>(first.restored());
        restored.addAll(second.restored());
        return new ReconcileReport(second.dryRun(), second.poolsScanned(), second.allocationsScanned(),
                second.unmanagedSkipped(), removed, second.kept(), gone, second.pendingReservations(), failures,
                restored);
    }

    /** No name lookup here: a slow resolver must not delay an operator's command. */
    private String identity() {
        String host = env.getOrDefault("NODENAME", env.getOrDefault("HOSTNAME", ""));
        return "ctl-" + ProcessHandle.current().pid() + (host.isEmpty() ? "" : "@" + host);
    }

    private static void print(CtlArgs a, PrintStream out, ReconcileReport report) {
        String verb = report.dryRun() ? "would remove" : "removed";
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ReconcileReport.Removal r : report.removed()) {
            rows.add(Output.row("action", verb, "pool", r.pool().objectName(), "ip", r.allocation().ip().toString(),
                    "pod", r.allocation().owner().podRef(), "reason", r.reason()));
        }
        for (ReconcileReport.Removal r : report.kept()) {
            rows.add(Output.row("action", "kept", "pool", r.pool().objectName(), "ip", r.allocation().ip().toString(),
                    "pod", r.allocation().owner().podRef(), "reason", r.reason()));
        }
        for (ReconcileReport.Removal r : report.restored()) {
            rows.add(Output.row("action", report.dryRun() ? "would restore" : "restored", "pool", r.pool().objectName(),
                    "ip", r.allocation().ip().toString(), "pod", r.allocation().owner().podRef(), "reason", r.reason()));
        }
        for (Reservation r : report.removedReservations()) {
            rows.add(Output.row("action", verb, "pool", "", "ip", r.ip().toString(), "pod", r.owner().podRef(),
                    "reason", "leftover reservation " + r.objectName()));
        }
        for (Reservation r : report.pendingReservations()) {
            rows.add(Output.row("action", "pending", "pool", "", "ip", r.ip().toString(), "pod", r.owner().podRef(),
                    "reason", "unbacked reservation " + r.objectName() + " (confirm with --leftover-wait)"));
        }
        if (a.json()) {
            Map<String, Object> doc = Output.row("dryRun", report.dryRun(), "pools", report.poolsScanned(),
                    "allocations", report.allocationsScanned(), "unmanaged", report.unmanagedSkipped(),
                    "entries", rows, "failures", report.failures());
            Output.json(out, doc);
        } else {
            Output.table(out, rows, "nothing to do: " + report.poolsScanned() + " pools, "
                    + report.allocationsScanned() + " allocations checked");
        }
    }
}
