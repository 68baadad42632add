package dev.whereabouts.ipam.engine.alloc;

import dev.whereabouts.ipam.api.IpamException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The time budget of one ADD, DEL or GC, shared by every range and retry (upstream's 10 s), and the
 * jittered exponential back-off between conflicting commits.
 */
public final class Deadline {

    static final long MIN_BACKOFF_NANOS = Duration.ofMillis(2).toNanos();
    static final long MAX_BACKOFF_NANOS = Duration.ofMillis(200).toNanos();

    private final long endNanos;
    private final Duration budget;
    private long backoff = MIN_BACKOFF_NANOS;

    private Deadline(Duration budget) {
        this.budget = budget;
        this.endNanos = System.nanoTime() + budget.toNanos();
    }

    /** A deadline {@code budget} from now. */
    public static Deadline after(Duration budget) {
        return new Deadline(budget);
    }

    /** Whether the budget is spent. */
    public boolean expired() {
        return System.nanoTime() - endNanos >= 0;
    }

    /**
     * Throws code 11 when the budget is spent.
     *
     * @param what what was being attempted, for the details
     */
    public void check(String what) {
        if (expired()) {
            throw new IpamException(IpamException.TRY_AGAIN_LATER, "try again later",
                    what + ": gave up after " + budget.toMillis() + " ms of conflicting writes");
        }
    }

    /** Sleeps a random time up to the current back-off (full jitter), then doubles it, capped. */
    public void backoff() {
        long left = endNanos - System.nanoTime();
        long sleep = Math.min(ThreadLocalRandom.current().nextLong(MIN_BACKOFF_NANOS / 2, backoff + 1), Math.max(0, left));
        backoff = Math.min(MAX_BACKOFF_NANOS, backoff * 2);
        if (sleep <= 0) {
            return;
        }
        try {
            Thread.sleep(Duration.ofNanos(sleep));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IpamException(IpamException.TRY_AGAIN_LATER, "try again later", "interrupted while backing off", e);
        }
    }

    /** Starts the back-off again from the minimum (a new pool). */
    public void resetBackoff() {
        backoff = MIN_BACKOFF_NANOS;
    }
}
