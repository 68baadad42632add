package dev.whereabouts.ipam.api;

/**
 * The store refused a change that grows a pool because the pool would no longer fit in what the
 * store can hold in one write: a Kubernetes {@code IPPool} is one object, and the API server and
 * its etcd refuse objects over their request limits. For the caller the pool is full (CNI code 100):
 * it clears only when an address is released, and a retry at once meets the same limit.
 *
 * <p>Thrown by {@link dev.whereabouts.ipam.spi.IpamStore#commit}, with nothing written. The engine
 * fails only the ADDs whose new addresses grew the pool, and writes the rest of their batch (DELs,
 * ADDs already holding an address) again without them.
 *
 * @since 0.4
 */
public class PoolTooLargeException extends PoolExhaustedException {

    /**
     * @param message what the store refused and why, naming its limit
     * @param pool the pool that cannot grow
     */
    public PoolTooLargeException(String message, PoolKey pool) {
        super(message, pool);
    }
}
