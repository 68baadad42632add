package dev.whereabouts.ipam.engine.alloc;

import dev.whereabouts.ipam.api.IpamException;
import java.time.Duration;

/**
 * The time budget of one ADD, DEL or GC, shared by every range, retry and wait for a contended pool
 * (by default upstream's time limits: 2 min for ADD, 1 min for DEL).
 */
public final class Deadline {

    private final long endNanos;
    private final Duration budget;

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

    /** The time left, zero once spent. */
    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, endNanos - System.nanoTime()));
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
}
