package dev.whereabouts.store.tck;

import static dev.whereabouts.store.tck.Laws.POOL;
import static dev.whereabouts.store.tck.Laws.allocation;
import static dev.whereabouts.store.tck.Laws.committed;
import static dev.whereabouts.store.tck.Laws.ip;
import static dev.whereabouts.store.tck.Laws.owner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolSnapshot;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.spi.CommitOutcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Versioned reads and conditional writes of one pool.
 *
 * @since 0.1
 */
public interface PoolLaws extends ContractSubject {

    /** A pool that was never written reads as absent and empty. */
    @Test
    default void aPoolNeverWrittenReadsAsAbsent() {
        PoolSnapshot snapshot = store().read(POOL);
        assertFalse(snapshot.exists(), "a pool nobody wrote must read as absent");
        assertTrue(snapshot.allocations().isEmpty());
        assertEquals(POOL, snapshot.key());
    }

    /** A versioned read followed by a conditional write succeeds, and the write is read back. */
    @Test
    default void aVersionedReadThenAConditionalWriteSucceeds() {
        PoolVersion created = committed(store().commit(POOL, PoolVersion.ABSENT, PoolChange.put(allocation("10.20.0.1", 1))));
        PoolSnapshot first = store().read(POOL);
        assertTrue(first.exists());
        assertEquals(created, first.version(), "the committed version must be the version read back");
        assertEquals(Map.of(ip("10.20.0.1"), owner(1)), first.allocations());

        PoolVersion second = committed(store().commit(POOL, first.version(), PoolChange.put(allocation("10.20.0.2", 2))));
        assertNotEquals(created, second, "every write must produce a new version");
        assertEquals(Map.of(ip("10.20.0.1"), owner(1), ip("10.20.0.2"), owner(2)), store().read(POOL).allocations());
    }

    /**
     * The version a write returns is good for the next write without a read, and the pool then
     * holds exactly what the writer applied: the engine keeps a pool warm this way between writes.
     */
    @Test
    default void theVersionAWriteReturnsIsGoodForTheNextWrite() {
        PoolVersion v1 = committed(store().commit(POOL, PoolVersion.ABSENT,
                PoolChange.put(allocation("10.20.0.1", 1), allocation("10.20.0.2", 2), allocation("10.20.0.3", 3))));
        PoolChange mixed = new PoolChange(List.of(allocation("10.20.0.4", 4)), List.of(ip("10.20.0.2"), ip("10.20.0.9")),
                List.of(), List.of());
        PoolVersion v2 = committed(store().commit(POOL, v1, mixed));
        PoolVersion v3 = committed(store().commit(POOL, v2, PoolChange.remove(ip("10.20.0.3"))));
        PoolSnapshot now = store().read(POOL);
        assertEquals(v3, now.version(), "the version a write returns must be the pool's version");
        assertEquals(Map.of(ip("10.20.0.1"), owner(1), ip("10.20.0.4"), owner(4)), now.allocations());
    }

    /** A write with a version that is no longer current reports a conflict and changes nothing. */
    @Test
    default void aStaleConditionalWriteConflictsAndChangesNothing() {
        PoolVersion v1 = committed(store().commit(POOL, PoolVersion.ABSENT, PoolChange.put(allocation("10.20.0.1", 1))));
        committed(store().commit(POOL, v1, PoolChange.put(allocation("10.20.0.2", 2))));
        PoolSnapshot before = store().read(POOL);

        CommitOutcome stale = store().commit(POOL, v1, PoolChange.put(allocation("10.20.0.3", 3)));
        assertInstanceOf(CommitOutcome.Conflict.class, stale, "a write based on a stale version must conflict");
        CommitOutcome staleRemove = store().commit(POOL, v1, PoolChange.remove(ip("10.20.0.1")));
        assertInstanceOf(CommitOutcome.Conflict.class, staleRemove, "a stale removal must conflict too");
        assertEquals(before, store().read(POOL), "a conflicting write must change nothing");
    }

    /** Only one of two writers that both saw the pool absent may create it. */
    @Test
    default void creatingAPoolThatAnotherWriterCreatedConflicts() {
        committed(store().commit(POOL, PoolVersion.ABSENT, PoolChange.put(allocation("10.20.0.1", 1))));
        CommitOutcome second = newClient().commit(POOL, PoolVersion.ABSENT, PoolChange.put(allocation("10.20.0.1", 2)));
        assertInstanceOf(CommitOutcome.Conflict.class, second, "the pool exists, so a create must conflict");
        assertEquals(owner(1), store().read(POOL).allocations().get(ip("10.20.0.1")));
    }

    /** An overwrite moves an address to a new container id, as an idempotent re-ADD does. */
    @Test
    default void aPutOverwritesTheOwnerOfAnAddress() {
        PoolVersion v1 = committed(store().commit(POOL, PoolVersion.ABSENT, PoolChange.put(allocation("10.20.0.1", 1))));
        var moved = new dev.whereabouts.ipam.api.Allocation(ip("10.20.0.1"), owner(1).withContainerId("sandbox-2"));
        committed(store().commit(POOL, v1, PoolChange.put(moved)));
        assertEquals("sandbox-2", store().read(POOL).allocations().get(ip("10.20.0.1")).containerId());
    }

    /** Removing an address that is not allocated succeeds, and so does removing it twice. */
    @Test
    default void releaseIsIdempotentAndAnUnknownAddressIsFine() {
        PoolVersion v1 = committed(store().commit(POOL, PoolVersion.ABSENT, PoolChange.put(allocation("10.20.0.1", 1))));
        PoolVersion v2 = committed(store().commit(POOL, v1, PoolChange.remove(ip("10.20.0.1"))));
        PoolVersion v3 = committed(store().commit(POOL, v2, PoolChange.remove(ip("10.20.0.1"))));
        committed(store().commit(POOL, v3, PoolChange.remove(ip("10.20.0.99"))));
        PoolSnapshot after = store().read(POOL);
        assertTrue(after.allocations().isEmpty());
        assertTrue(after.exists(), "an emptied pool still exists: its version must not fall back to ABSENT");
    }

    /** Pools with different keys never see each other's allocations. */
    @Test
    default void poolsAreIndependent() {
        committed(store().commit(POOL, PoolVersion.ABSENT, PoolChange.put(allocation("10.20.0.1", 1))));
        committed(store().commit(Laws.OTHER_POOL, PoolVersion.ABSENT, PoolChange.put(allocation("10.20.0.1", 2))));
        assertEquals(owner(1), store().read(POOL).allocations().get(ip("10.20.0.1")));
        assertEquals(owner(2), store().read(Laws.OTHER_POOL).allocations().get(ip("10.20.0.1")));
    }
}
