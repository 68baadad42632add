package dev.whereabouts.hammer;

import java.util.List;

/**
 * What a run did and what the checker found.
 *
 * @param operations operations that returned (begun-and-killed ones are not counted)
 * @param adds ADDs that returned
 * @param dels DELs that returned
 * @param killed workers killed with SIGKILL
 * @param duplicates addresses held by two attachments at once
 * @param lost successful ADDs whose address the store does not record
 * @param leaked store entries left after GC with the live attachments and the reconciler's sweep
 * @param reclaimed reservations without a pool entry (crash leftovers of a non-atomic store) that the
 *     reconciler's sweep removed; never a violation, reported so a run shows how often it happens
 * @param violations every finding, readable
 */
public record HammerReport(int operations, int adds, int dels, int killed, int duplicates, int lost, int leaked,
        int reclaimed, List<String> violations) {

    /** The one-line summary. */
    public String summary() {
        return "ops=" + operations + " adds=" + adds + " dels=" + dels + " killed=" + killed
                + " duplicates=" + duplicates + " lost=" + lost + " leaked=" + leaked + " reclaimed=" + reclaimed;
    }
}
