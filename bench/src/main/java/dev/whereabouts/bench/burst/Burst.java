package dev.whereabouts.bench.burst;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * The cluster burst: K node daemons (separate processes) x C concurrent plugin execs each, N ADDs
 * then N DELs on one pool, on a real etcd and on the Kubernetes mock API server (and optionally the
 * file store). Exits 1 when any address was handed out twice, lost or leaked; with
 * {@code --strict} also when any call failed.
 *
 * <pre>
 * Burst [--tree DIR] [--nodes K] [--callers C] [--adds N] [--stores etcd,kubernetes-mock,file]
 *       [--range CIDR] [--upstream-range CIDR] [--cni-version V] [--store-timeout-ms MS]
 *       [--work DIR] [--keep] [--strict] [--warm-cycles N] [--prefill N] [--daemon-warmup CYCLES] [--watch-pools]
 *       [--harness-warmup EXECS] [--store-warmup CYCLES]
 * </pre>
 * {@code --harness-warmup} (default 500) is how many runs of {@code /bin/true} warm this JVM's own
 * exec path before anything is measured ({@link CniCall#warmUp}). {@code --store-warmup} (default
 * 1000; 0 meets the server cold) is how many ADD+DEL cycles on a pool of its own warm a store
 * server that starts with the run, the mock API server, as a cluster's API server is warm
 * ({@link StoreWarmUp}).
 * With env {@code UPSTREAM_BIN}, that binary runs the same burst after ours on each store (no
 * daemons, its own range) and the ratios are printed. {@code --store-timeout-ms} sets the plugin's
 * {@code store_timeout_ms} (the budget of one call; unset: the plugin's default, 2 min for ADD).
 * {@code --watch-pools} turns on the stores' pool watches ({@code etcd_watch_pools},
 * {@code kubernetes.watch_pools}), to compare them with the default.
 */
public final class Burst {

    /** Everything a burst run is told. */
    public record Options(Path tree, int nodes, int callers, int adds, List<String> stores, String range,
            String upstreamRange, String cniVersion, long storeTimeoutMs, Path upstreamBinary, Path work, boolean keep,
            boolean strict, int warmCycles, int prefill, int daemonWarmup, boolean watchPools, int harnessWarmup,
            int storeWarmup) {

        /** The burst goal: 10 daemons x 10 callers, 1,000 ADDs then 1,000 DELs on one /16, etcd and the mock. */
        public static Options defaults() {
            String upstream = System.getenv("UPSTREAM_BIN");
            return new Options(Path.of("cni-launcher/target/whereabouts"), 10, 10, 1000, List.of("etcd", "kubernetes-mock"),
                    "10.77.0.0/16", "10.78.0.0/16", "0.4.0", 0, upstream == null || upstream.isEmpty() ? null : Path.of(upstream),
                    null, false, false, 1, 0, -1, false, 500, 1000);
        }

        /** What every node's network configuration shares besides the store and the range. */
        BurstRun.Network network() {
            return new BurstRun.Network(cniVersion, storeTimeoutMs, watchPools);
        }

        /** {@code defaults()} changed by the command line. */
        public static Options parse(String[] args) {
            Options d = defaults();
            Path tree = d.tree, upstream = d.upstreamBinary, work = d.work;
            int nodes = d.nodes, callers = d.callers, adds = d.adds;
            List<String> stores = d.stores;
            String range = d.range, upstreamRange = d.upstreamRange, cniVersion = d.cniVersion;
            long storeTimeoutMs = d.storeTimeoutMs;
            int warmCycles = d.warmCycles, prefill = d.prefill, daemonWarmup = d.daemonWarmup, harnessWarmup = d.harnessWarmup;
            int storeWarmup = d.storeWarmup;
            boolean keep = false, strict = false, watchPools = false;
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                if (flag.equals("--keep") || flag.equals("--strict") || flag.equals("--watch-pools")) {
                    keep |= flag.equals("--keep");
                    strict |= flag.equals("--strict");
                    watchPools |= flag.equals("--watch-pools");
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value after " + flag);
                }
                String v = args[++i];
                switch (flag) {
                    case "--tree" -> tree = Path.of(v);
                    case "--nodes" -> nodes = Integer.parseInt(v);
                    case "--callers" -> callers = Integer.parseInt(v);
                    case "--adds" -> adds = Integer.parseInt(v);
                    case "--stores" -> stores = List.of(v.split(","));
                    case "--range" -> range = v;
                    case "--upstream-range" -> upstreamRange = v;
                    case "--cni-version" -> cniVersion = v;
                    case "--store-timeout-ms" -> storeTimeoutMs = Long.parseLong(v);
                    case "--work" -> work = Path.of(v);
                    case "--warm-cycles" -> warmCycles = Integer.parseInt(v);
                    case "--prefill" -> prefill = Integer.parseInt(v);
                    case "--daemon-warmup" -> daemonWarmup = Integer.parseInt(v);
                    case "--harness-warmup" -> harnessWarmup = Integer.parseInt(v);
                    case "--store-warmup" -> storeWarmup = Integer.parseInt(v);
                    default -> throw new IllegalArgumentException("unknown flag " + flag);
                }
            }
            return new Options(tree, nodes, callers, adds, stores, range, upstreamRange, cniVersion, storeTimeoutMs, upstream,
                    work, keep, strict, warmCycles, prefill, daemonWarmup, watchPools, harnessWarmup, storeWarmup);
        }
    }

    private Burst() {
    }

    /** Runs the bursts and prints the reports; exits 1 on a duplicate, a lost or a leaked address. */
    public static void main(String[] args) throws Exception {
        // The read-back store clients log through slf4j-simple and gRPC's java.util.logging: only
        // their errors belong in the report.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        List<BurstResult> results = run(options, System.out);
        boolean failedCalls = results.stream().anyMatch(r -> r.add().failed() + r.del().failed() > 0);
        boolean ok = results.stream().allMatch(BurstResult::clean) && !(options.strict() && failedCalls);
        System.out.println(ok ? "burst: OK" : "burst: FAIL");
        System.exit(ok ? 0 : 1);
    }

    /** Runs every store in {@code options}, printing each report to {@code out} as it completes. */
    public static List<BurstResult> run(Options options, PrintStream out) throws IOException {
        if (!Files.isExecutable(options.tree().resolve("bin/whereabouts"))) {
            throw new IllegalStateException("no plugin at " + options.tree().resolve("bin/whereabouts")
                    + " (build it: ./mvnw -B -q package -DskipTests)");
        }
        Path work = options.work() != null ? Files.createDirectories(options.work()) : Files.createTempDirectory("burst-");
        List<BurstResult> results = new ArrayList<>();
        List<NodeDaemon> daemons = new ArrayList<>();
        out.println("machine load average before: " + loadAverage());
        long start = System.nanoTime();
        // Stores start while the daemons start (both mostly JVM and process start-up); each is stopped
        // as soon as its bursts are done, so an idle one never competes with the next.
        Map<String, CompletableFuture<ClusterStore>> stores = new LinkedHashMap<>();
        for (String name : options.stores()) {
            Path dir = Files.createDirectories(work.resolve(name));
            stores.put(name, CompletableFuture.supplyAsync(() -> open(name, dir), Thread::startVirtualThread));
        }
        try {
            // One set of node daemons serves every store, as a node's daemon serves every network.
            Path binary = options.tree().resolve("bin/whereabouts");
            for (int k = 1; k <= options.nodes(); k++) {
                daemons.add(new NodeDaemon(binary, "node-" + k, work.resolve("node-" + k), options.daemonWarmup()));
            }
            CniCall.warmUp(options.harnessWarmup(), options.callers());
            daemons.forEach(NodeDaemon::awaitReady);
            out.printf("%d node daemons ready after %.1f s%n", daemons.size(), (System.nanoTime() - start) / 1e9);
            daemons.forEach(NodeDaemon::awaitWarm);
            out.printf("and warmed up after %.1f s%n", (System.nanoTime() - start) / 1e9);
            for (String name : options.stores()) {
                try (ClusterStore store = stores.remove(name).join()) {
                    // Right before its own bursts, not while another store's run: its traffic would
                    // be that run's load.
                    if (store.serverStartsCold() && options.storeWarmup() > 0) {
                        long warm = System.nanoTime();
                        StoreWarmUp.run(store, options.storeWarmup());
                        out.printf("%s server warmed up by %d ADD+DEL cycles in %.1f s%n", name, options.storeWarmup(),
                                (System.nanoTime() - warm) / 1e9);
                    }
                    // The file store lives on one node, as host-local does.
                    int nodes = store.nodeLocal() ? 1 : options.nodes();
                    var plan = new BurstResult.Plan(nodes, options.callers(), options.adds(), options.range(), options.warmCycles(),
                            options.prefill());
                    BurstResult ours = BurstRun.ours(binary, daemons, store, plan, options.network());
                    Files.write(work.resolve(name).resolve("whereabouts-java-calls.tsv"), ours.callsTsv());
                    out.print(ours.report());
                    out.flush();
                    results.add(ours);
                    if (options.upstreamBinary() != null && !store.nodeLocal()) {
                        var theirPlan = new BurstResult.Plan(nodes, options.callers(), options.adds(), options.upstreamRange(),
                                options.warmCycles(), 0);
                        BurstResult theirs = BurstRun.other("upstream", options.upstreamBinary(), store, theirPlan,
                                options.network());
                        Files.write(work.resolve(name).resolve("upstream-calls.tsv"), theirs.callsTsv());
                        out.print(theirs.report());
                        out.println(ours.ratioTo(theirs));
                        out.flush();
                        results.add(theirs);
                    }
                }
            }
        } finally {
            for (CompletableFuture<ClusterStore> unused : stores.values()) {
                unused.thenAccept(ClusterStore::close);
            }
            // Nodes stop at once, each finishing what it has in flight.
            try (ExecutorService stop = Executors.newVirtualThreadPerTaskExecutor()) {
                daemons.forEach(d -> stop.execute(d::close));
            }
            if (options.keep()) {
                out.println("logs and data kept in " + work);
            } else {
                deleteTree(work);
            }
        }
        out.printf("machine load average after: %s; whole run %.1f s%n", loadAverage(), (System.nanoTime() - start) / 1e9);
        out.println();
        out.println(BurstResult.tableHeader());
        results.forEach(r -> out.println(r.tableRow()));
        return results;
    }

    private static ClusterStore open(String name, Path dir) {
        return switch (name) {
            case "etcd" -> new EtcdClusterStore(dir);
            case "kubernetes-mock", "mock" -> new MockClusterStore(dir);
            case "file" -> new FileClusterStore(dir);
            default -> throw new IllegalArgumentException("unknown store " + name + " (etcd, kubernetes-mock, file)");
        };
    }

    /** The 1, 5 and 15 minute load averages: burst figures mean little on a machine busy with something else. */
    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2] + " (" + Runtime.getRuntime().availableProcessors() + " cores)";
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
