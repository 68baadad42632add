package dev.whereabouts.ipam.api;

/**
 * Every candidate address of a range is taken (CNI code 100, plugin-specific). Not a fault to retry
 * at once: it clears only when an address is released, the range grows or an exclusion shrinks.
 *
 * @since 0.2
 */
public class PoolExhaustedException extends IpamException {

    /**
     * @param message upstream's wording, which operators' alerts match on
     * @param pool the pool that is full
     */
    public PoolExhaustedException(String message, PoolKey pool) {
        super(POOL_EXHAUSTED, message, "pool " + pool);
    }
}
