package dev.whereabouts.bench.load;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.spi.IpamStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load harness for a store: N concurrent allocators (each with its own client, as N nodes would
 * have) take addresses from one pool through the engine's read-decide-write loop, and the harness
 * reports allocations per second, p50/p99 latency of one allocation (retries included) and the
 * conflicts that were retried.
 *
 * <p>Run (after {@code ./mvnw -pl bench -am install} or with the modules in {@code ~/.m2}):
 * <pre>
 * ./mvnw -B -q -pl bench dependency:build-classpath -Dmdep.outputFile=/tmp/bench.cp
 * java --sun-misc-unsafe-memory-access=allow -cp bench/target/classes:$(cat /tmp/bench.cp) \
 *     dev.whereabouts.bench.load.StoreLoad --target etcd --writers 1,4,16,64 --allocations 2000 \
 *     [--report results.md]
 * </pre>
 * The table goes to stderr (and to {@code --report} as Markdown): stdout belongs to the plugin.
 */
public final class StoreLoad {

    private StoreLoad() {}

    /** One measured level. */
    record Level(int writers, int allocations, double seconds, long[] latenciesNanos, long conflicts) {
        double perSecond() {
            return allocations / seconds;
        }

        double percentileMillis(double p) {
            long[] sorted = latenciesNanos.clone();
            Arrays.sort(sorted);
            int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
            return sorted[Math.max(0, i)] / 1e6;
        }
    }

    public static void main(String[] args) throws Exception {
        String target = option(args, "--target", "etcd");
        int[] writers = Arrays.stream(option(args, "--writers", "1,4,16,64").split(",")).mapToInt(Integer::parseInt).toArray();
        int allocations = Integer.parseInt(option(args, "--allocations", "2000"));
        String report = option(args, "--report", "");
        PrintStream err = System.err;
        List<Level> levels = new ArrayList<>();
        String description;
        try (LoadTarget t = target(target)) {
            description = t.describe();
            err.println("target: " + description + "; cores: " + Runtime.getRuntime().availableProcessors());
            run(t, PoolKey.of(Cidr.parse("10.255.0.0/16"), "warmup"), 4, 300);
            for (int i = 0; i < writers.length; i++) {
                PoolKey pool = PoolKey.of(Cidr.parse("10." + (64 + i) + ".0.0/16"), "bench-" + writers[i]);
                Level level = run(t, pool, writers[i], allocations);
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

    static Level run(LoadTarget target, PoolKey pool, int writers, int allocations) throws Exception {
        List<IpamStore> clients = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            clients.add(target.open());
        }
        AtomicInteger budget = new AtomicInteger(allocations);
        long[] latencies = new long[allocations];
        AtomicInteger done = new AtomicInteger();
        List<CasAllocator> allocators = new ArrayList<>();
        long start;
        long end;
        try (ExecutorService pool2 = Executors.newFixedThreadPool(writers)) {
            List<Future<?>> futures = new ArrayList<>();
            start = System.nanoTime();
            for (int w = 0; w < writers; w++) {
                CasAllocator a = new CasAllocator(clients.get(w), pool, "w" + w);
                allocators.add(a);
                futures.add(pool2.submit(() -> {
                    while (budget.getAndDecrement() > 0) {
                        long t0 = System.nanoTime();
                        a.allocate();
                        latencies[done.getAndIncrement()] = System.nanoTime() - t0;
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
        long conflicts = allocators.stream().mapToLong(CasAllocator::conflicts).sum();
        return new Level(writers, allocations, (end - start) / 1e9, latencies, conflicts);
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
        return String.format(Locale.ROOT, "| %3d | %6d | %8.1f | %8.2f | %8.2f | %9d |", l.writers(), l.allocations(),
                l.perSecond(), l.percentileMillis(0.50), l.percentileMillis(0.99), l.conflicts());
    }

    private static String table(String description, List<Level> levels) {
        StringBuilder sb = new StringBuilder("Target: " + description + ", "
                + Runtime.getRuntime().availableProcessors() + " cores\n\n"
                + "| writers | allocations | alloc/s | p50 ms | p99 ms | conflicts retried |\n"
                + "|---:|---:|---:|---:|---:|---:|\n");
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
