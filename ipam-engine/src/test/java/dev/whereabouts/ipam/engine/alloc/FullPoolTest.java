package dev.whereabouts.ipam.engine.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolTooLargeException;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.spi.CommitOutcome;
import dev.whereabouts.store.tck.ForwardingStore;
import dev.whereabouts.store.tck.InMemoryStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * A store that cannot grow a pool any further (a Kubernetes {@code IPPool} at the API server's size
 * limit) fails the ADDs that would grow it, and only those: the DELs and the ADDs that already hold
 * an address in the same batch are written without them.
 */
class FullPoolTest {

    static final Cidr RANGE = Cidr.parse("10.60.0.0/24");
    static final PoolKey KEY = PoolKey.of(RANGE, "");
    static final RangePlan PLAN = RangePlan.of(KEY, RANGE, Optional.empty(), Optional.empty(), List.of(), List.of());

    /** Refuses, with nothing written, any change that would leave a pool above {@code limit} allocations. */
    static final class SizeLimitedStore extends ForwardingStore {
        final int limit;
        int refused;

        SizeLimitedStore(InMemoryStore real, int limit) {
            super(real);
            this.limit = limit;
        }

        @Override
        public CommitOutcome commit(PoolKey key, PoolVersion expected, PoolChange change) {
            var now = super.read(key).allocations().keySet();
            long after = now.size() + change.put().stream().filter(a -> !now.contains(a.ip())).count()
                    - change.remove().stream().filter(now::contains).count();
            if (after > limit) {
                refused++;
                throw new PoolTooLargeException("pool " + key + " cannot hold " + after + " allocations", key);
            }
            return super.commit(key, expected, change);
        }
    }

    private static Owner owner(int i) {
        return new Owner("c" + i, "eth0", "ns/p" + i);
    }

    private static Deadline soon() {
        return Deadline.after(Duration.ofSeconds(10));
    }

    @Test
    void aFullPoolFailsOnlyTheAddsThatGrowItAndWritesTheRestOfTheirBatch() {
        SizeLimitedStore store = new SizeLimitedStore(InMemoryStore.create(), 3);
        Allocator allocator = new Allocator(store, true);
        for (int i = 1; i <= 3; i++) {
            allocator.allocate(PLAN, owner(i), soon());
        }
        // One batch, as a lane's leader takes it: two new ADDs, a retried ADD that holds its address
        // already, and a DEL.
        var fresh1 = new PoolRequest.Allocate(PLAN, owner(4), true, soon());
        var fresh2 = new PoolRequest.Allocate(PLAN, owner(5), true, soon());
        var retried = new PoolRequest.Allocate(PLAN, owner(2), true, soon());
        var del = new PoolRequest.Release((ip, o) -> owner(1).attachment().owns(o), Optional.empty(), true, soon());
        PoolBatch batch = new PoolBatch(KEY);
        List.of(fresh1, fresh2, retried, del).forEach(batch::add);
        WarmPool pool = new WarmPool(store, KEY, new SplittableRandom(1));
        WarmPool.Next next;
        int rounds = 0;
        do {
            next = pool.round(batch);
            rounds++;
        } while (next != WarmPool.Next.DONE && rounds < 10);
        assertEquals(WarmPool.Next.DONE, next);

        for (var add : List.of(fresh1, fresh2)) {
            CompletionException e = assertThrows(CompletionException.class, () -> add.answer().join());
            PoolTooLargeException full = assertInstanceOf(PoolTooLargeException.class, e.getCause());
            assertEquals(IpamException.POOL_EXHAUSTED, full.code(), "a pool the store cannot grow is full, not unavailable");
        }
        assertEquals(IpAddress.parse("10.60.0.2"), retried.answer().join().ip(), "the retried ADD keeps its address");
        assertEquals(List.of(IpAddress.parse("10.60.0.1")), del.answer().join(), "the DEL in the same batch is written");
        assertEquals(2, store.read(KEY).allocations().size());
        assertEquals(2, store.reservations().size(), "no reservation is left by the refused ADDs");
        assertEquals(1, store.refused);

        // With room again, the next ADD is served.
        IpAddress next6 = allocator.allocate(PLAN, owner(6), soon()).ip();
        assertEquals(owner(6), store.read(KEY).allocations().get(next6));
        assertEquals(3, store.read(KEY).allocations().size());
    }

    @Test
    void aLoneAddToAFullPoolFailsWithTheStoresWords() {
        SizeLimitedStore store = new SizeLimitedStore(InMemoryStore.create(), 1);
        Allocator allocator = new Allocator(store, true);
        allocator.allocate(PLAN, owner(1), soon());
        IpamException e = assertThrows(IpamException.class, () -> allocator.allocate(PLAN, owner(2), soon()));
        assertEquals(IpamException.POOL_EXHAUSTED, e.code());
        assertEquals("pool " + KEY + " cannot hold 2 allocations", e.msg());
        assertEquals(1, store.read(KEY).allocations().size());
    }
}
