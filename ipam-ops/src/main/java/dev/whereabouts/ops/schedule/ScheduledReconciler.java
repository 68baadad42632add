package dev.whereabouts.ops.schedule;

import dev.whereabouts.ops.ReleaseMetrics;
import dev.whereabouts.ops.reconcile.ReconcileReport;
import dev.whereabouts.ops.reconcile.Reconciler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link Reconciler} on a cron schedule, holding the {@link ReconcilerLease} during each pass.
 * Every node may run one; the Lease lets one of them work per fire time.
 *
 * <p>The expression is re-read from its source at least once a minute, so a ConfigMap update takes
 * effect without a restart. A changed expression applies from the
 * moment it is read. A bad expression is logged and the previous one kept (the default
 * {@value CronSchedule#DEFAULT_EXPRESSION} before any good one was read).
 *
 * @since 0.1
 */
public final class ScheduledReconciler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledReconciler.class);
    private static final Duration RECHECK = Duration.ofMinutes(1);

    private final Reconciler reconciler;
    private final ReconcilerLease lease;
    private final Supplier<String> cronSource;
    private final Clock clock;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private CronSchedule schedule = CronSchedule.parse(CronSchedule.DEFAULT_EXPRESSION);
    private Instant nextFire;
    private Thread thread;

    /** A scheduler that does nothing until {@link #start()} or {@link #fireIfDue(Instant)}. */
    public ScheduledReconciler(Reconciler reconciler, ReconcilerLease lease, Supplier<String> cronSource, Clock clock) {
        this.reconciler = Objects.requireNonNull(reconciler, "reconciler");
        this.lease = Objects.requireNonNull(lease, "lease");
        this.cronSource = Objects.requireNonNull(cronSource, "cronSource");
        this.clock = Objects.requireNonNull(clock, "clock");
        refreshSchedule(clock.instant());
    }

    /** Starts the background thread (a daemon thread named {@code whereabouts-reconciler}). */
    public synchronized ScheduledReconciler start() {
        if (thread == null) {
            thread = Thread.ofPlatform().daemon().name("whereabouts-reconciler").start(this::loop);
        }
        return this;
    }

    /** The schedule in force. */
    public synchronized CronSchedule schedule() {
        return schedule;
    }

    /** When the next pass is due. */
    public synchronized Instant nextFire() {
        return nextFire;
    }

    /**
     * Runs the pass that is due at {@code now}, if any: re-reads the expression, and when a fire time
     * lies between the last check and {@code now}, tries the Lease and runs. Called by the thread;
     * public so that a test can step time by hand.
     *
     * @return the report when this node ran a pass
     */
    public synchronized Optional<ReconcileReport> fireIfDue(Instant now) {
        refreshSchedule(now);
        if (now.isBefore(nextFire)) {
            return Optional.empty();
        }
        Instant fire = nextFire;
        nextFire = schedule.nextAfter(now);
        return runLeased(fire, false);
    }

    /**
     * Takes the Lease for {@code fireTime} and runs one pass (used for on-demand runs, too).
     *
     * @return empty when another reconciler holds the Lease or already ran this fire time
     */
    public Optional<ReconcileReport> runLeased(Instant fireTime, boolean dryRun) {
        return runLeased(reconciler, lease, clock, fireTime, dryRun);
    }

    /** As {@link #runLeased(Instant, boolean)}, for a reconciler without a schedule. */
    public static Optional<ReconcileReport> runLeased(Reconciler reconciler, ReconcilerLease lease, Clock clock,
            Instant fireTime, boolean dryRun) {
        if (!lease.tryAcquire(fireTime)) {
            LOG.info("reconciler pass for {} skipped: lease {} is held by {}", fireTime,
                    lease.identity(), lease.holder().orElse("someone else"));
            return Optional.empty();
        }
        try {
            Instant[] lastRenew = {clock.instant()};
            boolean[] ours = {true};
            BooleanSupplier stillOurs = () -> {
                Instant now = clock.instant();
                if (ours[0] && Duration.between(lastRenew[0], now).compareTo(lease.duration().dividedBy(3)) > 0) {
                    ours[0] = lease.renew();
                    lastRenew[0] = now;
                }
                return ours[0];
            };
            ReconcileReport report = reconciler.run(dryRun, stillOurs);
            ReleaseMetrics.reconciled(report);
            return Optional.of(report);
        } finally {
            lease.release();
        }
    }

    @Override
    public void close() {
        running.set(false);
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop() {
        while (running.get()) {
            try {
                Instant now = clock.instant();
                Instant wake;
                synchronized (this) {
                    wake = nextFire;
                }
                Duration wait = Duration.between(now, wake);
                if (wait.compareTo(RECHECK) > 0) {
                    wait = RECHECK;
                }
                if (wait.isPositive()) {
                    Thread.sleep(wait);
                }
                fireIfDue(clock.instant());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // One failed pass must not stop the schedule; the next fire time tries again.
                LOG.warn("reconciler pass failed: {}", e.toString());
            }
        }
    }

    private synchronized void refreshSchedule(Instant now) {
        String expression;
        try {
            expression = cronSource.get();
        } catch (RuntimeException e) {
            LOG.warn("cannot read the reconciler schedule, keeping '{}': {}", schedule, e.toString());
            expression = schedule.expression();
        }
        if (nextFire != null && expression.strip().equals(schedule.expression())) {
            return;
        }
        try {
            schedule = CronSchedule.parse(expression);
        } catch (IllegalArgumentException e) {
            LOG.warn("bad reconciler schedule '{}', keeping '{}': {}", expression, schedule, e.getMessage());
        }
        nextFire = schedule.nextAfter(now);
        LOG.info("reconciler schedule '{}' (UTC), next pass at {}", schedule, nextFire);
    }
}
