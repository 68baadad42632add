package dev.whereabouts.store.tck;

import static dev.whereabouts.store.tck.Laws.POOL;
import static dev.whereabouts.store.tck.Laws.allocation;
import static dev.whereabouts.store.tck.Laws.committed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolSnapshot;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.spi.CommitOutcome;
import dev.whereabouts.ipam.spi.IpamStore;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The change feed ({@link IpamStore#awaitNewer}): optional, but what it delivers must be exactly a
 * state the pool had, newer than the caller's, and good for the next conditional write. A store
 * without a feed passes by never delivering; one that says it has a feed ({@link #followsPools})
 * must also deliver another client's write.
 *
 * @since 0.3
 */
public interface FeedLaws extends ContractSubject {

    /** How long a law waits for the feed to deliver a write that is already committed. */
    Duration DELIVERY = Duration.ofSeconds(10);

    /** Whether the store follows pools; override to return true when it does. */
    default boolean followsPools() {
        return false;
    }

    /** The engine asks, then reads: from then on the pool is followed (the order the engine uses). */
    private PoolSnapshot follow(IpamStore client) {
        client.awaitNewer(POOL, PoolVersion.ABSENT, Duration.ZERO);
        return client.read(POOL);
    }

    /** Another client's write arrives through the feed as written, and the next write can build on it. */
    @Test
    default void theFeedDeliversAnotherClientsWriteExactly() {
        IpamStore follower = store();
        IpamStore writer = newClient();
        committed(writer.commit(POOL, PoolVersion.ABSENT, PoolChange.put(allocation("10.20.0.1", 1))));
        PoolSnapshot start = follow(follower);
        PoolVersion theirs = committed(writer.commit(POOL, start.version(), PoolChange.put(allocation("10.20.0.2", 2))));

        Optional<PoolSnapshot> fed = follower.awaitNewer(POOL, start.version(), DELIVERY);

        if (followsPools()) {
            assertTrue(fed.isPresent(), "a store that follows pools must deliver another client's committed write");
        }
        fed.ifPresent(pool -> {
            assertEquals(theirs, pool.version(), "the feed must deliver the version the write returned");
            assertEquals(writer.read(POOL).allocations(), pool.allocations(), "the feed must deliver the pool as written");
            assertInstanceOf(CommitOutcome.Committed.class,
                    follower.commit(POOL, pool.version(), PoolChange.put(allocation("10.20.0.3", 3))),
                    "a write on the delivered version must succeed while nobody else writes");
        });
    }

    /** Nothing newer than what the caller holds: the feed stays silent for the whole wait. */
    @Test
    default void theFeedNeverDeliversWhatTheCallerAlreadyHas() {
        IpamStore follower = store();
        committed(follower.commit(POOL, PoolVersion.ABSENT, PoolChange.put(allocation("10.20.0.1", 1))));
        PoolSnapshot start = follow(follower);
        PoolVersion mine = committed(follower.commit(POOL, start.version(), PoolChange.put(allocation("10.20.0.2", 2))));

        assertEquals(Optional.empty(), follower.awaitNewer(POOL, mine, Duration.ofMillis(300)),
                "nobody wrote after this client's own write: nothing is newer");
    }
}
