package dev.whereabouts.bench.burst;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.engine.alloc.Allocator;
import dev.whereabouts.ipam.engine.alloc.Deadline;
import dev.whereabouts.ipam.engine.alloc.PoolLanes;
import dev.whereabouts.ipam.engine.alloc.RangePlan;
import dev.whereabouts.ipam.spi.IpamStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * ADD+DEL traffic on a store's server before anything is measured, on a pool of its own. A burst
 * meets a cluster's API server long after that server's own JIT warm-up; without this it would meet
 * the mock, a JVM started seconds earlier, still interpreting the code that serves each request, and
 * the burst's figures would measure the mock's start-up (about 5 ms of its CPU per request then,
 * against about 2 ms warm). The traffic goes through an in-process engine, so it has the plugin's
 * request shapes: pool updates, reservation creates and deletes, turn Leases.
 */
final class StoreWarmUp {

    /** The warm-up's own network, so its pool is not the burst's: {@code store-warm-up-10.254.0.0-16}. */
    static final String NETWORK = "store-warm-up";

    private static final int WORKERS = 8;

    private StoreWarmUp() {
    }

    /** Runs {@code cycles} ADD+DEL cycles, {@value #WORKERS} at a time; every address is released again. */
    static void run(ClusterStore store, int cycles) {
        if (cycles <= 0) {
            return;
        }
        PoolKey pool = PoolKey.of(Cidr.parse("10.254.0.0/16"), NETWORK);
        RangePlan range = RangePlan.of(pool, pool.range(), Optional.empty(), Optional.empty(), List.of(), List.of());
        AtomicInteger next = new AtomicInteger();
        try (IpamStore client = store.open(); ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            Allocator engine = new Allocator(client, true, new PoolLanes());
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                done.add(workers.submit(() -> {
                    for (int n = next.getAndIncrement(); n < cycles; n = next.getAndIncrement()) {
                        Owner owner = new Owner("warm-up-" + n, "net1", "warm-up/pod-" + n);
                        Deadline deadline = Deadline.after(Duration.ofSeconds(60));
                        engine.allocate(range, owner, deadline);
                        engine.release(pool, owner.attachment(), deadline);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("warming up the " + store.name() + " server failed", e);
        }
    }
}
