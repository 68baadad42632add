package dev.whereabouts.ops.reconcile;

/**
 * The reconciler's judgement of one allocation. Keeping is the default whenever something is not
 * known yet; only a definite answer removes an address.
 *
 * @since 0.1
 */
public sealed interface Verdict {

    /** Why; printed in reports and logs. */
    String reason();

    /** The pod uses the address. */
    record InUse(String reason) implements Verdict {}

    /** The pod may still be getting its network (pending, young, no status yet): judged on a later pass. */
    record Deferred(String reason) implements Verdict {}

    /** The allocation is stale and will be removed. */
    record Stale(String reason) implements Verdict {}
}
