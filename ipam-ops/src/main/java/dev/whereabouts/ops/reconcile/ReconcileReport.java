package dev.whereabouts.ops.reconcile;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.Reservation;
import java.util.List;

/**
 * What one reconciler pass did (or, in a dry run, would do).
 *
 * @param dryRun whether nothing was written
 * @param poolsScanned pools read
 * @param allocationsScanned allocations looked at (those with an empty pod reference included)
 * @param unmanagedSkipped allocations without a {@code namespace/name} pod reference, which the
 *     reconciler never touches
 * @param removed stale allocations removed (dry run: that would be removed), with the reason
 * @param kept allocations whose pod was not judged, with the reason (pending, young, no status)
 * @param removedReservations leftover reservations removed (dry run: that would be removed)
 * @param pendingReservations reservations seen unbacked for the first time or not long enough yet
 * @param failures pools or reservations that could not be written, with the error
 * @param restored pool entries written back for reservations whose live pod lists the address
 *     (dry run: that would be written), with the pool; such reservations are never removed
 * @since 0.1
 */
public record ReconcileReport(boolean dryRun, int poolsScanned, int allocationsScanned, int unmanagedSkipped,
        List<Removal> removed, List<Removal> kept, List<Reservation> removedReservations,
        List<Reservation> pendingReservations, List<String> failures, List<Removal> restored) {

    /** Copies the lists. */
    public ReconcileReport {
        restored = List.copyOf(restored);
        removed = List.copyOf(removed);
        kept = List.copyOf(kept);
        removedReservations = List.copyOf(removedReservations);
        pendingReservations = List.copyOf(pendingReservations);
        failures = List.copyOf(failures);
    }

    /** A report without restored entries. */
    public ReconcileReport(boolean dryRun, int poolsScanned, int allocationsScanned, int unmanagedSkipped,
            List<Removal> removed, List<Removal> kept, List<Reservation> removedReservations,
            List<Reservation> pendingReservations, List<String> failures) {
        this(dryRun, poolsScanned, allocationsScanned, unmanagedSkipped, removed, kept, removedReservations,
                pendingReservations, failures, List.of());
    }

    /**
     * One allocation with the reconciler's reason.
     *
     * @param pool the pool that holds it
     * @param allocation address and owner
     * @param reason why it is removed or kept
     */
    public record Removal(PoolKey pool, Allocation allocation, String reason) {}

    /** Whether the pass completed without a failed write. */
    public boolean ok() {
        return failures.isEmpty();
    }
}
