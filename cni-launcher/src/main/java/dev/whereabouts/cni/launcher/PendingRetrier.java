package dev.whereabouts.cni.launcher;

import dev.whereabouts.ipam.engine.Ipam;
import dev.whereabouts.ipam.engine.NodeJournal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries the releases that DELs queued during a store outage, until the store takes them.
 *
 * <p>The daemon runs it in the background: with back-off while the store fails (100 ms doubling
 * to 2 s), at once when a call just succeeded against the store (it is back), and every 30 s
 * anyway to catch records left by in-process calls or by an earlier daemon. It knows the journal
 * directories it has seen in calls; a restarted daemon learns them again from its first calls.
 */
final class PendingRetrier implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PendingRetrier.class);
    private static final long FIRST_MILLIS = 100;
    private static final long MAX_MILLIS = 2000;
    private static final long IDLE_MILLIS = 30_000;
    /** Older than any write in progress: a temp file this old was left by a process that died. */
    static final Duration LITTER_AGE = Duration.ofSeconds(10);

    private final Ipam ipam;
    private final Set<Path> dirs = ConcurrentHashMap.newKeySet();
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean pending;
    private volatile boolean closed;
    private Thread thread;

    PendingRetrier(Ipam ipam) {
        this.ipam = ipam;
    }

    /** A call used this journal directory; the first time, its litter is swept and its pending releases tried. */
    void seen(Path attachmentsDir) {
        if (dirs.add(attachmentsDir)) {
            sweep(attachmentsDir);
            pending = true;
            nudge();
        }
    }

    /** A DEL queued a release: retry from the first back-off step. */
    void queued() {
        pending = true;
        nudge();
    }

    /** A call just got an answer from the store: a pending release may go through now. */
    void storeAnswered() {
        if (pending) {
            nudge();
        }
    }

    /** Starts the background loop (the daemon). */
    void start() {
        thread = Thread.ofVirtual().name("whereabouts-pending-releases").start(this::loop);
    }

    /** One pass over every known directory (the in-process path, after its call). */
    int runOnce() {
        int left = 0;
        for (Path dir : dirs) {
            try {
                left += ipam.retryPendingReleases(dir);
            } catch (RuntimeException e) {
                LOG.warn("pending releases under {} could not be retried: {}", dir, e.toString());
                left++;
            }
        }
        pending = left > 0;
        return left;
    }

    private void loop() {
        long backoff = FIRST_MILLIS;
        long sinceSweep = System.nanoTime();
        while (!closed) {
            try {
                wake.tryAcquire(pending ? backoff : IDLE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            wake.drainPermits();
            if (closed) {
                return;
            }
            if (System.nanoTime() - sinceSweep > TimeUnit.MILLISECONDS.toNanos(IDLE_MILLIS)) {
                dirs.forEach(PendingRetrier::sweep);
                sinceSweep = System.nanoTime();
            }
            int left = runOnce();
            backoff = left > 0 ? Math.min(backoff * 2, MAX_MILLIS) : FIRST_MILLIS;
        }
    }

    private void nudge() {
        if (wake.availablePermits() == 0) {
            wake.release();
        }
    }

    private static void sweep(Path dir) {
        try {
            int removed = NodeJournal.at(dir).sweepLitter(LITTER_AGE);
            if (removed > 0) {
                LOG.info("removed {} temporary journal files left by a killed process under {}", removed, dir);
            }
        } catch (RuntimeException e) {
            LOG.warn("journal litter under {} not swept: {}", dir, e.toString());
        }
    }

    @Override
    public void close() {
        closed = true;
        nudge();
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
