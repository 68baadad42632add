package dev.whereabouts.ipam.spi;

import dev.whereabouts.ipam.api.PoolKey;
import java.time.Duration;
import java.util.Optional;

/**
 * An optional capability of a shared store: a fair (first come, first served) lock per pool,
 * across nodes. The engine takes it only while a pool is contended, that is while its writes to
 * the pool keep losing races to other nodes, so that the nodes take turns instead of racing; a
 * pool written by one node at a time never sees it.
 *
 * <p>The lock is advisory and only about speed and fairness. Correctness never depends on it: the
 * conditional write of {@link IpamStore#commit} stays the guard, so a lock that expires, is lost
 * with a crashed holder or cannot be had in time costs at most a lost race. An implementation
 * should therefore bound the life of a lock (a lease), and never block longer than asked.
 *
 * @since 0.2
 */
public interface ContentionLock {

    /**
     * Waits for this client's turn on {@code pool}.
     *
     * @param maxWait the longest this call may block
     * @return the held turn, to close once the write is done; empty when the turn did not come
     *     within {@code maxWait} or the store could not be asked (the caller then races as usual)
     */
    Optional<Turn> awaitTurn(PoolKey pool, Duration maxWait);

    /**
     * Whether another client holds the turn on {@code pool} or waits first in line for it, as far
     * as this client already knows: an answer from memory, never a request to the store. The engine
     * then waits for its turn instead of writing out of turn. Why: a node that never lost a race
     * does not know the pool is contended, and its copy of the pool is the newest, so its writes
     * land first again and again while the nodes that take turns read, write and lose. In a burst
     * of 8 nodes on one pool one node was served about 15 times before another was served once.
     *
     * <p>An implementation may start watching the pool's turns on the first call and answer
     * {@code false} until it knows. The default knows nothing.
     *
     * @since 0.2
     */
    default boolean turnTakenElsewhere(PoolKey pool) {
        return false;
    }

    /** A held turn; closing it lets the next node in. Never throws. */
    interface Turn extends AutoCloseable {
        @Override
        void close();
    }
}
