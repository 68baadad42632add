package dev.whereabouts.bench.load;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.engine.alloc.Allocator;
import dev.whereabouts.ipam.engine.alloc.Deadline;
import dev.whereabouts.ipam.engine.alloc.PoolLanes;
import dev.whereabouts.ipam.engine.alloc.RangePlan;
import dev.whereabouts.ipam.spi.IpamStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load harness for a store: D simulated nodes, each with its own store client and its own
 * group-commit lanes (as D node daemons would have), and W concurrent callers spread over them,
 * take addresses from one pool through the engine's allocator. It reports allocations per second,
 * p50/p99/max latency of one allocation (retries included), pool reads and writes per allocation,
 * and the writes that lost a race. {@code --shapes 1x1,1x8,8x64} gives D x W per level;
 * {@code --prefill N} puts N allocations into each level's pool first (through node 0, not timed).
 *
 * <p>Run (after {@code ./mvnw -pl bench -am install} or with the modules in {@code ~/.m2}):
 * <pre>
 * ./mvnw -B -q -pl bench dependency:build-classpath -Dmdep.outputFile=/tmp/bench.cp
 * java --sun-misc-unsafe-memory-access=allow -cp bench/target/classes:$(cat /tmp/bench.cp) \
 *     dev.whereabouts.bench.load.StoreLoad --target etcd --shapes 1x1,1x8,8x8,8x64 --allocations 2000 \
 *     [--report results.md]
 * </pre>
 * The table goes to stderr (and to {@code --report} as Markdown): stdout belongs to the plugin.
 */
public final class StoreLoad {

    private StoreLoad() {}

    /** One measured level. */
    record Level(int nodes, int writers, int allocations, double seconds, long[] latenciesNanos, int[] nodeOf,
            long reads, long commits, long conflicts) {
        double perSecond() {
            return allocations / seconds;
        }

        double percentileMillis(double p) {
            return percentileMillis(latenciesNanos, p);
        }

        /** The highest p99 of any one node: a node that keeps losing races shows here, not in the overall p50. */
        double worstNodeP99Millis() {
            double worst = 0;
            for (int n = 0; n < nodes; n++) {
                int node = n;
                long[] mine = java.util.stream.IntStream.range(0, nodeOf.length).filter(i -> nodeOf[i] == node)
                        .mapToLong(i -> latenciesNanos[i]).toArray();
                if (mine.length > 0) {
                    worst = Math.max(worst, percentileMillis(mine, 0.99));
                }
            }
            return worst;
        }

        private static double percentileMillis(long[] latenciesNanos, double p) {
            long[] sorted = latenciesNanos.clone();
            Arrays.sort(sorted);
            int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
            return sorted[Math.max(0, i)] / 1e6;
        }
    }

    public static void main(String[] args) throws Exception {
        String target = option(args, "--target", "etcd");
        String[] shapes = option(args, "--shapes", "1x1,1x8,8x8,8x64").split(",");
        int allocations = Integer.parseInt(option(args, "--allocations", "2000"));
        int prefill = Integer.parseInt(option(args, "--prefill", "0"));
        String report = option(args, "--report", "");
        PrintStream err = System.err;
        List<Level> levels = new ArrayList<>();
        String description;
        try (LoadTarget t = target(target)) {
            description = t.describe();
            err.println("target: " + description + "; cores: " + Runtime.getRuntime().availableProcessors());
            run(t, PoolKey.of(Cidr.parse("10.255.0.0/16"), "warmup"), 2, 4, 0, 300);
            for (int i = 0; i < shapes.length; i++) {
                String[] dw = shapes[i].split("x");
                int nodes = Integer.parseInt(dw[0]);
                int writers = Integer.parseInt(dw[1]);
                PoolKey pool = PoolKey.of(Cidr.parse("10." + (64 + i) + ".0.0/16"), "bench-" + nodes + "x" + writers);
                Level level = run(t, pool, nodes, writers, prefill, allocations);
                levels.add(level);
                err.println(row(level));
            }
        }
        String table = table(description, levels);
        err.println();
        err.println(table);
        if (!report.isEmpty()) {
            try {
                Files.writeString(Path.of(report), table);
            } catch (IOException e) {
                err.println("cannot write " + report + ": " + e);
            }
        }
    }

    static Level run(LoadTarget target, PoolKey pool, int nodes, int writers, int prefill, int allocations)
            throws Exception {
        List<CountingStore> clients = new ArrayList<>();
        List<Allocator> engines = new ArrayList<>();
        for (int n = 0; n < nodes; n++) {
            CountingStore client = CountingStore.wrap(target.open());
            clients.add(client);
            engines.add(new Allocator(client, true, new PoolLanes()));
        }
        RangePlan plan = RangePlan.of(pool, pool.range(), Optional.empty(), Optional.empty(), List.of(), List.of());
        if (prefill > 0) {
            PoolFill.fill(engines.getFirst(), plan, prefill, "fill-");
            clients.forEach(c -> {
                c.reads.reset();
                c.commits.reset();
                c.conflicts.reset();
            });
        }
        AtomicInteger budget = new AtomicInteger(allocations);
        long[] latencies = new long[allocations];
        int[] nodeOf = new int[allocations];
        AtomicInteger done = new AtomicInteger();
        long start;
        long end;
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            start = System.nanoTime();
            for (int w = 0; w < writers; w++) {
                int node = w % nodes;
                Allocator engine = engines.get(node);
                String name = "n" + (w % nodes) + "w" + w;
                futures.add(callers.submit(() -> {
                    for (int serial = 0; budget.getAndDecrement() > 0; serial++) {
                        Owner owner = new Owner(name + "-" + serial, "net1", "bench/" + name + "-" + serial);
                        long t0 = System.nanoTime();
                        engine.allocate(plan, owner, Deadline.after(Duration.ofSeconds(30)));
                        int slot = done.getAndIncrement();
                        latencies[slot] = System.nanoTime() - t0;
                        nodeOf[slot] = node;
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            end = System.nanoTime();
        } finally {
            clients.forEach(IpamStore::close);
        }
        long reads = clients.stream().mapToLong(c -> c.reads.sum()).sum();
        long commits = clients.stream().mapToLong(c -> c.commits.sum()).sum();
        long conflicts = clients.stream().mapToLong(c -> c.conflicts.sum()).sum();
        return new Level(nodes, writers, allocations, (end - start) / 1e9, latencies, nodeOf, reads, commits,
                conflicts);
    }

    private static LoadTarget target(String name) throws ReflectiveOperationException {
        StringBuilder simple = new StringBuilder();
        for (String part : name.split("[-_]")) {
            simple.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        String className = name.contains(".") ? name : StoreLoad.class.getPackageName() + "." + simple + "Target";
        return (LoadTarget) Class.forName(className).getConstructor().newInstance();
    }

    private static String row(Level l) {
        return String.format(Locale.ROOT, "| %3d | %3d | %6d | %8.1f | %8.2f | %8.2f | %8.2f | %8.2f | %5.2f | %5.2f | %7d |",
                l.nodes(), l.writers(), l.allocations(), l.perSecond(), l.percentileMillis(0.50),
                l.percentileMillis(0.99), l.worstNodeP99Millis(), l.percentileMillis(1.0), (double) l.reads() / l.allocations(),
                (double) l.commits() / l.allocations(), l.conflicts());
    }

    private static String table(String description, List<Level> levels) {
        StringBuilder sb = new StringBuilder("Target: " + description + ", "
                + Runtime.getRuntime().availableProcessors() + " cores\n\n"
                + "| nodes | callers | allocations | alloc/s | p50 ms | p99 ms | worst node's p99 ms | max ms"
                + " | reads/alloc | writes/alloc | lost races |\n"
                + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Level l : levels) {
            sb.append(row(l)).append('\n');
        }
        return sb.toString();
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(name) && i + 1 < args.length) {
                return args[i + 1];
            }
            if (args[i].startsWith(name + "=")) {
                return args[i].substring(name.length() + 1);
            }
        }
        return fallback;
    }
}
