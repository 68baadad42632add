package dev.whereabouts.cni.launcher.daemon;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * Waits for the JIT compiler to work off its queue, as the start-up warm-up does between its steps.
 *
 * <p>Why: HotSpot raises the invocation count after which it queues a method for compiling in
 * proportion to the length of the queue ({@code Tier3LoadFeedback}). A daemon has one C1 thread
 * on a 2-core node, and the warm-up's first cycles queue hundreds of methods at once, so code
 * that first ran while that queue was long was never queued: after a warm-up that ran straight
 * through, a daemon still compiled about 2,200 methods in an etcd burst (most of the etcd client,
 * whose warm-up came last), and its compiler took two fifths of its CPU there. A step that starts
 * on an empty queue gets its code compiled.
 */
final class CompilerQueue {

    private static final long POLL_MILLIS = 50;
    /** Polls without a finished compile that count as drained. */
    private static final int QUIET_POLLS = 3;

    private CompilerQueue() {}

    /**
     * Returns once the compiler has finished nothing for {@link #QUIET_POLLS} polls in a row, or
     * after {@code maxWait}; at once when the JVM does not report compile time.
     */
    static void awaitDrained(Duration maxWait) throws InterruptedException {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return;
        }
        long deadline = System.nanoTime() + maxWait.toNanos();
        long last = jit.getTotalCompilationTime();
        int quiet = 0;
        while (quiet < QUIET_POLLS && System.nanoTime() - deadline < 0) {
            Thread.sleep(POLL_MILLIS);
            long now = jit.getTotalCompilationTime();
            quiet = now == last ? quiet + 1 : 0;
            last = now;
        }
    }
}
