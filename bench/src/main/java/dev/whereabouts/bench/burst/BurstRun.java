package dev.whereabouts.bench.burst;

import dev.whereabouts.bench.load.PoolFill;
import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.engine.alloc.Allocator;
import dev.whereabouts.ipam.engine.alloc.PoolLanes;
import dev.whereabouts.ipam.engine.alloc.RangePlan;
import dev.whereabouts.ipam.spi.IpamStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One burst of one plugin binary on one store: N ADDs spread over K nodes x C concurrent callers,
 * then the N DELs (each on the node that made the ADD, as the node's runtime would), then the
 * checks. Our binary runs behind one node daemon per node (separate processes, started by the
 * caller and shared by the bursts of one run); another binary (upstream) runs as it is, with the
 * same configuration, callers and container ids.
 */
public final class BurstRun {

    private BurstRun() {
    }

    /**
     * The network configuration's fields that are not about the store or the node.
     *
     * @param cniVersion the configuration's {@code cniVersion}
     * @param storeTimeoutMs {@code ipam.store_timeout_ms}, or 0 for the plugin's default
     * @param watchPools whether the store follows the pools it writes ({@code etcd_watch_pools},
     *     {@code kubernetes.watch_pools})
     */
    public record Network(String cniVersion, long storeTimeoutMs, boolean watchPools) {
    }

    /**
     * Our plugin ({@code binary}) behind the running node daemons, one node per daemon (only the
     * first {@code plan.nodes()} of them).
     */
    public static BurstResult ours(Path binary, List<NodeDaemon> daemons, ClusterStore store, BurstResult.Plan plan,
            Network network) {
        List<NodeDaemon> nodes = daemons.subList(0, plan.nodes());
        List<String> configs = nodes.stream().map(d -> config(network, plan.range(), store,
                ",\"daemon_socket\":\"%s\",\"attachments_dir\":\"%s\"".formatted(d.socket(), d.attachments()))).toList();
        // The daemons outlive this burst: count only the error lines it added.
        int[] seen = nodes.stream().mapToInt(d -> d.errorLines().size()).toArray();
        return drive("whereabouts-java", binary, configs, store, plan, true, () -> {
            Map<String, Long> all = engineCounters(nodes);
            all.put(BurstResult.CPU + "daemons", nodes.stream().mapToLong(d -> ProcessCpu.millis(d.pid())).sum());
            return all;
        }, () -> {
            List<String> errors = new ArrayList<>();
            for (int k = 0; k < nodes.size(); k++) {
                List<String> lines = nodes.get(k).errorLines();
                String node = nodes.get(k).name();
                lines.subList(Math.min(seen[k], lines.size()), lines.size()).forEach(l -> errors.add(node + ": " + l));
            }
            return errors;
        });
    }

    /** Another whereabouts-compatible binary, without daemons, driven exactly like ours. */
    public static BurstResult other(String label, Path binary, ClusterStore store, BurstResult.Plan plan, Network network) {
        List<String> configs = java.util.Collections.nCopies(plan.nodes(), config(network, plan.range(), store, ""));
        return drive(label, binary, configs, store, plan, false, Map::of, List::of);
    }

    /**
     * The node daemons' pool counters summed, as {@code engine writes.conflict} and the like: what
     * the group commit did (lost races, re-picks, turns), which the store's request counts only hint
     * at; and their call-timing buckets summed ({@link DaemonLatency}).
     */
    private static Map<String, Long> engineCounters(List<NodeDaemon> nodes) {
        Map<String, Long> sum = new java.util.TreeMap<>();
        for (NodeDaemon d : nodes) {
            d.counters().forEach((series, v) -> {
                if (series.startsWith(DaemonLatency.SERIES)) {
                    DaemonLatency.key(series).ifPresent(key -> sum.merge(key, v, Long::sum));
                    return;
                }
                String name = series.replaceFirst("^whereabouts_pool_", "").replaceFirst("_total", "")
                        .replaceAll("\\{[a-z]+=\"([^\"]*)\"}", ".$1");
                sum.merge(BurstResult.ENGINE + name, v, Long::sum);
            });
        }
        return sum;
    }

    /** The network configuration a node's runtime passes on stdin. */
    static String config(Network network, String range, ClusterStore store, String nodeFields) {
        String timeout = network.storeTimeoutMs() > 0 ? ",\"store_timeout_ms\":" + network.storeTimeoutMs() : "";
        return """
                {"cniVersion":"%s","name":"burst-net","type":"bridge","ipam":{"type":"whereabouts","range":"%s",%s%s%s,"log_level":"error"}}"""
                .formatted(network.cniVersion(), range, store.ipamFields(network.watchPools()), nodeFields, timeout);
    }

    private static BurstResult drive(String label, Path binary, List<String> configs, ClusterStore store,
            BurstResult.Plan plan, boolean readBack, java.util.function.Supplier<Map<String, Long>> engine,
            java.util.function.Supplier<List<String>> daemonErrors) {
        java.util.function.Supplier<Map<String, Long>> counters = () -> {
            Map<String, Long> all = new HashMap<>(store.counters());
            all.putAll(engine.get());
            all.put(BurstResult.CPU + "machine", ProcessCpu.machineBusyMillis());
            all.put(BurstResult.CPU + "harness", ProcessCpu.millis(ProcessHandle.current().pid()));
            all.put(BurstResult.CPU + "plugin processes", ProcessCpu.reapedChildrenMillis());
            store.serverPid().ifPresent(pid -> all.put(BurstResult.CPU + "store server", ProcessCpu.millis(pid)));
            return all;
        };
        // The large pool first: a daemon that has already served calls on it knows it, as a node of
        // a cluster whose pool filled up over weeks does. Filled after the warm-up, every daemon's
        // copy was outdated and its first ADD paid a conflict and a read of the whole pool.
        Map<String, String> prefilled = prefill(store, plan);
        // ADD+DEL cycles per node, not measured: the pool exists, and the store clients are
        // open. One cycle (the default) leaves a daemon's code cold; in a cluster a daemon has
        // usually served many calls before a burst comes, which more cycles model.
        try (ExecutorService warmup = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int k = 0; k < configs.size(); k++) {
                String config = configs.get(k);
                int node = k;
                warmup.execute(() -> {
                    for (int i = 0; i < Math.max(1, plan.warmCycles()); i++) {
                        String id = "warmup-" + node + "-" + i;
                        CniCall.run(binary, "ADD", id, config);
                        CniCall.run(binary, "DEL", id, config);
                    }
                });
            }
        }
        BurstResult.Phase add = phase("ADD", binary, configs, plan, counters);
        List<String> duplicates = duplicates(add.calls(), prefilled);
        List<String> lost = readBack ? lost(add.calls(), store.allocations()) : List.of();
        BurstResult.Phase del = phase("DEL", binary, configs, plan, counters);
        Set<String> handedOut = new HashSet<>();
        add.calls().forEach(c -> handedOut.addAll(c.addresses()));
        List<String> leftovers = store.leftovers(handedOut).stream()
                .filter(l -> !l.contains(" " + PREFILL_CONTAINER)).toList();
        return new BurstResult(label, store.name(), plan, add, del, duplicates, lost,
                explain(leftovers, add, del), daemonErrors.get());
    }

    private static final String PREFILL_CONTAINER = "prefill-";

    /**
     * Fills the burst's pool with {@code plan.prefill()} allocations through an in-process engine
     * on the store, as the plugin keys it (the range, no network name): a large pool to measure in.
     */
    private static Map<String, String> prefill(ClusterStore store, BurstResult.Plan plan) {
        if (plan.prefill() == 0) {
            return Map.of();
        }
        PoolKey pool = PoolKey.of(Cidr.parse(plan.range()), "");
        RangePlan range = RangePlan.of(pool, pool.range(), Optional.empty(), Optional.empty(), List.of(), List.of());
        try (IpamStore client = store.open()) {
            return PoolFill.fill(new Allocator(client, true, new PoolLanes()), range, plan.prefill(), PREFILL_CONTAINER);
        } catch (Exception e) {
            throw new IllegalStateException("prefilling the pool failed", e);
        }
    }

    /** The node whose callers serve container {@code i} in {@link #phase}. */
    static int nodeOf(int i, BurstResult.Plan plan) {
        return i % (plan.nodes() * plan.callers()) / plan.callers();
    }

    /** Runs {@code command} for every container, K x C callers at once; caller j serves containers j, j+KC, j+2KC, … */
    private static BurstResult.Phase phase(String command, Path binary, List<String> configs, BurstResult.Plan plan,
            java.util.function.Supplier<Map<String, Long>> counters) {
        int lanes = plan.nodes() * plan.callers();
        CniCall[] calls = new CniCall[plan.adds()];
        Map<String, Long> before = counters.get();
        long start = System.nanoTime();
        try (ExecutorService callers = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().factory())) {
            for (int lane = 0; lane < lanes; lane++) {
                int first = lane;
                String config = configs.get(lane / plan.callers());
                callers.execute(() -> {
                    for (int i = first; i < calls.length; i += lanes) {
                        calls[i] = CniCall.run(binary, command, containerId(i), config);
                    }
                });
            }
        }
        long nanos = System.nanoTime() - start;
        Map<String, Long> delta = new HashMap<>();
        counters.get().forEach((k, v) -> delta.put(k, v - before.getOrDefault(k, 0L)));
        return new BurstResult.Phase(nanos, Arrays.asList(calls), new java.util.TreeMap<>(delta));
    }

    private static final java.util.regex.Pattern CONTAINER = java.util.regex.Pattern.compile("burst(\\d{5})");

    /** Adds to each leftover how its container's ADD and DEL ended, which tells a lost DEL from a late ADD. */
    private static List<String> explain(List<String> leftovers, BurstResult.Phase add, BurstResult.Phase del) {
        return leftovers.stream().map(line -> {
            var m = CONTAINER.matcher(line);
            if (!m.find()) {
                return line;
            }
            int i = Integer.parseInt(m.group(1));
            return line + " (ADD " + outcome(add.calls().get(i)) + ", DEL " + outcome(del.calls().get(i)) + ")";
        }).toList();
    }

    private static String outcome(CniCall c) {
        return !c.ok() ? c.failure() : c.stderr().contains("[error]") ? "ok, logged an error" : "ok";
    }

    static String containerId(int i) {
        return "burst%05d".formatted(i);
    }

    /**
     * Every ADD ran before any DEL, so all containers are live at once: an address in two results, or
     * in one result and {@code prefilled} (address to container), is a duplicate.
     */
    static List<String> duplicates(List<CniCall> adds, Map<String, String> prefilled) {
        Map<String, String> holder = new HashMap<>(prefilled);
        List<String> duplicates = new ArrayList<>();
        for (int i = 0; i < adds.size(); i++) {
            if (!adds.get(i).ok()) {
                continue;
            }
            for (String ip : adds.get(i).addresses()) {
                String previous = holder.putIfAbsent(ip, containerId(i));
                if (previous != null) {
                    duplicates.add("duplicate " + ip + " handed to " + previous + " and " + containerId(i));
                }
            }
        }
        return duplicates;
    }

    /** An address an ADD returned must be held in the store by that container. */
    static List<String> lost(List<CniCall> adds, Map<String, String> stored) {
        List<String> lost = new ArrayList<>();
        for (int i = 0; i < adds.size(); i++) {
            if (adds.get(i).ok()) {
                for (String ip : adds.get(i).addresses()) {
                    if (!containerId(i).equals(stored.get(ip))) {
                        lost.add("lost " + ip + " of " + containerId(i) + " (store says " + stored.get(ip) + ")");
                    }
                }
            }
        }
        return lost;
    }
}
