package dev.whereabouts.ipam.spi;

import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.api.Reservation;

/**
 * The outcome of a conditional write. "Someone else got there first" is a value, not an exception:
 * the engine retries on it.
 *
 * @since 0.1
 */
public sealed interface CommitOutcome {

    /**
     * The change was written.
     *
     * @param version the pool's version after the write
     */
    record Committed(PoolVersion version) implements CommitOutcome {}

    /** The pool's version was no longer the expected one; nothing was written. */
    record Conflict() implements CommitOutcome {}

    /**
     * An address in the change is reserved cluster-wide by another attachment; nothing was written.
     *
     * @param holder the reservation that is in the way
     */
    record ReservationTaken(Reservation holder) implements CommitOutcome {}
}
