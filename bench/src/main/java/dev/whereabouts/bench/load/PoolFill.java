package dev.whereabouts.bench.load;

import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.engine.alloc.Allocator;
import dev.whereabouts.ipam.engine.alloc.Deadline;
import dev.whereabouts.ipam.engine.alloc.RangePlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** Puts allocations into a pool before a measured run, to measure on a large pool. */
public final class PoolFill {

    private PoolFill() {}

    /**
     * Allocates {@code count} addresses in {@code plan}'s pool through {@code engine}, 64 at a time,
     * for containers {@code <containerPrefix><n>}.
     *
     * @return each address handed out, to the container holding it
     */
    public static Map<String, String> fill(Allocator engine, RangePlan plan, int count, String containerPrefix)
            throws Exception {
        AtomicInteger next = new AtomicInteger();
        Map<String, String> held = new ConcurrentHashMap<>();
        try (ExecutorService fillers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < 64; w++) {
                futures.add(fillers.submit(() -> {
                    for (int n = next.getAndIncrement(); n < count; n = next.getAndIncrement()) {
                        String container = containerPrefix + n;
                        Owner owner = new Owner(container, "net1", "fill/" + container);
                        var taken = engine.allocate(plan, owner, Deadline.after(Duration.ofSeconds(60)));
                        held.put(taken.ip().toString(), container);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        return held;
    }
}
