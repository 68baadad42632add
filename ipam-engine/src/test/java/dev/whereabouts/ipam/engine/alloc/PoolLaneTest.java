package dev.whereabouts.ipam.engine.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.spi.ContentionLock;
import dev.whereabouts.store.tck.ForwardingStore;
import dev.whereabouts.store.tck.InMemoryStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The threaded front of group commit: many callers of one process share writes, each gets its own answer. */
class PoolLaneTest {

    static final Cidr RANGE = Cidr.parse("10.50.0.0/24");
    static final PoolKey KEY = PoolKey.of(RANGE, "");

    @Test
    void concurrentCallersShareWritesAndEachGetsItsOwnAddress() throws Exception {
        InMemoryStore store = InMemoryStore.create().injectLatency(Duration.ofMillis(5));
        Allocator allocator = new Allocator(store, true);
        RangePlan plan = RangePlan.of(KEY, RANGE, Optional.empty(), Optional.empty(), List.of(), List.of());
        int callers = 32;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Allocator.Taken>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < callers; i++) {
                Owner owner = new Owner("c" + i, "net1", "ns/p" + i);
                answers.add(pool.submit(() -> {
                    start.await();
                    return allocator.allocate(plan, owner, Deadline.after(Duration.ofSeconds(30)));
                }));
            }
            start.countDown();
        }
        Set<IpAddress> given = new HashSet<>();
        for (Future<Allocator.Taken> f : answers) {
            assertTrue(given.add(f.get().ip()), "address given twice: " + f.get().ip());
        }
        Map<IpAddress, Owner> stored = store.read(KEY).allocations();
        assertEquals(given, stored.keySet(), "every answer is stored, nothing else is");
        assertTrue(store.commitAttempts() < callers, "callers that arrive together share writes: "
                + store.commitAttempts() + " writes for " + callers + " ADDs");
        List<IpAddress> released = allocator.release(KEY, new Owner("c7", "net1", "ns/p7").attachment(),
                Deadline.after(Duration.ofSeconds(5)));
        assertEquals(1, released.size());
        assertEquals(callers - 1, store.read(KEY).allocations().size());
        assertEquals(callers - 1, store.reservations().size());
    }

    /** A store whose turns another node holds as long as {@code elsewhere} says so; counts the turns taken. */
    static final class TurnStore extends ForwardingStore implements ContentionLock {
        volatile boolean elsewhere;
        int turnsTaken;

        TurnStore(InMemoryStore real) {
            super(real);
        }

        @Override
        public Optional<Turn> awaitTurn(PoolKey pool, Duration maxWait) {
            turnsTaken++;
            return Optional.of(() -> { });
        }

        @Override
        public boolean turnTakenElsewhere(PoolKey pool) {
            return elsewhere;
        }
    }

    @Test
    void aNodeThatNeverLostARaceStillWaitsInLineWhileAnotherHoldsTheTurn() {
        TurnStore store = new TurnStore(InMemoryStore.create());
        Allocator allocator = new Allocator(store, true);
        RangePlan plan = RangePlan.of(KEY, RANGE, Optional.empty(), Optional.empty(), List.of(), List.of());
        Deadline deadline = Deadline.after(Duration.ofSeconds(30));
        allocator.allocate(plan, new Owner("c1", "net1", "ns/p1"), deadline);
        assertEquals(0, store.turnsTaken, "a calm pool is written without turns");
        store.elsewhere = true;
        Allocator.Taken second = allocator.allocate(plan, new Owner("c2", "net1", "ns/p2"), deadline);
        assertEquals(1, store.turnsTaken, "with another node's turn in progress, the write waits for its own");
        assertEquals(Set.of(second.ip(), IpAddress.parse("10.50.0.1")), store.read(KEY).allocations().keySet());
    }
}
