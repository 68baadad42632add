package dev.whereabouts.bench.burst;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What one burst (one binary on one store) measured and found.
 *
 * @param label which binary: {@code whereabouts-java} or {@code upstream}
 * @param store the store's name
 * @param plan nodes, callers and ADDs
 * @param add the ADD phase
 * @param del the DEL phase
 * @param duplicates addresses handed to two live containers at once
 * @param lost addresses an ADD returned that the store did not hold for that container after the ADD phase
 * @param leftovers allocations and reservations the store still held after the DEL phase
 * @param daemonErrors error-level lines the node daemons logged
 */
public record BurstResult(String label, String store, Plan plan, Phase add, Phase del, List<String> duplicates,
        List<String> lost, List<String> leftovers, List<String> daemonErrors) {

    /** The prefix of the node daemons' engine counters among a phase's {@code requests}. */
    static final String ENGINE = "engine ";
    /** The prefix of CPU milliseconds among a phase's {@code requests}: the machine's and some processes'. */
    static final String CPU = "cpu ";

    /**
     * The shape of a burst: K node daemons, C concurrent callers on each, N ADDs then N DELs on
     * {@code range}, after {@code warmCycles} unmeasured ADD+DEL cycles per node, in a pool that
     * already holds {@code prefill} allocations.
     */
    public record Plan(int nodes, int callers, int adds, String range, int warmCycles, int prefill) {
    }

    /**
     * One phase: every call and the store requests it caused.
     *
     * @param nanos wall time of the whole phase
     * @param calls every call, in container order
     * @param requests store requests served during the phase, by kind, the node daemons' engine
     *     counters, named with {@link #ENGINE} first, and CPU milliseconds, named with {@link #CPU} first
     */
    public record Phase(long nanos, List<CniCall> calls, Map<String, Long> requests) {

        /** Failed calls by how they failed ({@code code 11: 3}). */
        public Map<String, Long> failures() {
            return calls.stream().filter(c -> !c.ok())
                    .collect(Collectors.groupingBy(CniCall::failure, TreeMap::new, Collectors.counting()));
        }

        /** How many calls failed. */
        public long failed() {
            return calls.stream().filter(c -> !c.ok()).count();
        }

        /**
         * Successful calls that logged an error: a DEL whose store write failed still succeeds (the
         * runtime must be able to tear a pod down) and may leave its address behind.
         */
        public long succeededWithError() {
            return calls.stream().filter(c -> c.ok() && c.stderr().contains("[error]")).count();
        }

        /** One example of each way of failing, and of an error logged by a successful call. */
        public Map<String, String> examples() {
            Map<String, String> examples = new TreeMap<>();
            for (CniCall c : calls) {
                if (!c.ok()) {
                    examples.putIfAbsent(c.failure(), c.stdout().strip());
                } else if (c.stderr().contains("[error]")) {
                    examples.putIfAbsent("ok with [error]", c.stderr().lines().filter(l -> l.contains("[error]"))
                            .findFirst().orElse(""));
                }
            }
            return examples;
        }

        /** The latency at percentile {@code p} (0–100) over every call, in milliseconds. */
        public double percentileMillis(double p) {
            return percentileMillis(calls, p);
        }

        /**
         * How evenly the nodes fared: the lowest and highest per-node p50 and p99. A node that keeps
         * losing the race for a contended pool shows here while the overall p50 looks fine.
         */
        public String perNode(Plan plan) {
            List<List<CniCall>> byNode = new java.util.ArrayList<>();
            for (int n = 0; n < plan.nodes(); n++) {
                byNode.add(new java.util.ArrayList<>());
            }
            for (int i = 0; i < calls.size(); i++) {
                byNode.get(BurstRun.nodeOf(i, plan)).add(calls.get(i));
            }
            double[] p50 = byNode.stream().mapToDouble(c -> percentileMillis(c, 50)).sorted().toArray();
            double[] p99 = byNode.stream().mapToDouble(c -> percentileMillis(c, 99)).sorted().toArray();
            return fmt("per node: p50 %s .. %s, p99 %s .. %s", ms(p50[0]), ms(p50[p50.length - 1]), ms(p99[0]),
                    ms(p99[p99.length - 1]));
        }

        private static double percentileMillis(List<CniCall> calls, double p) {
            long[] sorted = calls.stream().mapToLong(CniCall::nanos).sorted().toArray();
            if (sorted.length == 0) {
                return 0;
            }
            int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.clamp(i, 0, sorted.length - 1)] / 1e6;
        }

        /** Calls per second over the phase. */
        public double rate() {
            return calls.size() / (nanos / 1e9);
        }

        /** Store requests per call, by kind, as {@code requests=4.02 PUT=1.10 …}. */
        public String requestsPerCall() {
            return perCall("");
        }

        /** The node daemons' engine counters per call, as {@code writes.committed=0.11 writes.conflict=0.02 …}. */
        public String enginePerCall() {
            return perCall(ENGINE);
        }

        /**
         * Where the machine's CPU went, in ms per call: {@code machine 41.2 = daemons 17.0 + store
         * server 2.1 + harness 2.9 + plugin processes 17.0 + kernel and the rest 2.2}. The plugin
         * processes are the execs of the plugin binary (and their children) as the harness reaped
         * them; the rest is what no process was charged with (interrupts, network softirqs, other
         * processes of the machine).
         */
        public String cpuPerCall() {
            long machine = requests.getOrDefault(CPU + "machine", 0L);
            if (machine <= 0) {
                return "not measured";
            }
            StringBuilder sb = new StringBuilder(fmt("machine %.1f =", machine / (double) calls.size()));
            long named = 0;
            for (String part : List.of("daemons", "store server", "harness", "plugin processes")) {
                Long ms = requests.get(CPU + part);
                if (ms != null) {
                    named += ms;
                    sb.append(fmt(" %s %.1f +", part, ms / (double) calls.size()));
                }
            }
            return sb.append(fmt(" kernel and the rest %.1f (%.0f%% of %d cores busy)",
                    (machine - named) / (double) calls.size(),
                    100.0 * machine / (nanos / 1e6) / Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().availableProcessors())).toString();
        }

        private String perCall(String prefix) {
            String joined = requests.entrySet().stream()
                    .filter(e -> e.getValue() != 0 && (prefix.isEmpty()
                            ? !e.getKey().startsWith(ENGINE) && !e.getKey().startsWith(CPU)
                                    && !e.getKey().startsWith(DaemonLatency.PREFIX)
                            : e.getKey().startsWith(prefix)))
                    .map(e -> e.getKey().substring(prefix.length()) + "="
                            + fmt("%.2f", e.getValue() / (double) calls.size()))
                    .collect(Collectors.joining(" "));
            return joined.isEmpty() ? "not counted" : joined;
        }
    }

    /** How many distinct addresses the leftovers name (an address leaks as an allocation and a reservation). */
    public long leakedAddresses() {
        return leftovers.stream().map(l -> l.split(" ")).filter(w -> w.length > 1).map(w -> w[1])
                .distinct().count();
    }

    /** Whether the burst proved what it must: no duplicate, nothing lost, nothing leaked. */
    public boolean clean() {
        return duplicates.isEmpty() && lost.isEmpty() && leftovers.isEmpty();
    }

    /** The readable report of this burst. */
    public String report() {
        StringBuilder sb = new StringBuilder();
        sb.append(fmt("== %s on %s: %d nodes x %d callers, %d ADDs then %d DELs on %s (after %d warm-up cycles per node%s)%n",
                label, store, plan.nodes(), plan.callers(), plan.adds(), plan.adds(), plan.range(), plan.warmCycles(),
                plan.prefill() > 0 ? fmt(", %d allocations already in the pool", plan.prefill()) : ""));
        for (var named : List.of(Map.entry("ADD", add), Map.entry("DEL", del))) {
            Phase p = named.getValue();
            sb.append(fmt("%s phase %8.2f s  %7.1f/s  p50 %s  p99 %s  max %s  failed %d %s  ok but logged an error %d%n",
                    named.getKey(), p.nanos() / 1e9, p.rate(), ms(p.percentileMillis(50)), ms(p.percentileMillis(99)),
                    ms(p.percentileMillis(100)), p.failed(), p.failures().isEmpty() ? "" : p.failures(),
                    p.succeededWithError()));
            if (plan.nodes() > 1) {
                sb.append("  ").append(p.perNode(plan)).append('\n');
            }
            p.examples().forEach((kind, text) -> sb.append("  e.g. ").append(kind).append(": ")
                    .append(text.length() > 300 ? text.substring(0, 300) + "…" : text).append('\n'));
        }
        sb.append("store requests per ADD: ").append(add.requestsPerCall()).append('\n');
        sb.append("store requests per DEL: ").append(del.requestsPerCall()).append('\n');
        for (var named : List.of(Map.entry("ADD", add), Map.entry("DEL", del))) {
            DaemonLatency.of(named.getValue().requests(), named.getKey()).ifPresent(d -> sb.append(fmt(
                    "daemons' own time per %s (their call histogram, interpolated): p50 %s  p99 %s%n",
                    named.getKey(), ms(d.percentileMillis(50)), ms(d.percentileMillis(99)))));
        }
        sb.append("engine per ADD: ").append(add.enginePerCall()).append('\n');
        sb.append("engine per DEL: ").append(del.enginePerCall()).append('\n');
        sb.append("CPU ms per ADD: ").append(add.cpuPerCall()).append('\n');
        sb.append("CPU ms per DEL: ").append(del.cpuPerCall()).append('\n');
        sb.append(fmt("daemon error lines: %d%n", daemonErrors.size()));
        daemonErrors.stream().limit(5).forEach(l -> sb.append("  ").append(l).append('\n'));
        sb.append(fmt("checks: duplicates %d, lost %d, leaked %d addresses (%d leftover objects) -> %s%n",
                duplicates.size(), lost.size(), leakedAddresses(), leftovers.size(), clean() ? "OK" : "FAIL"));
        // Why they leaked: leftovers grouped by how their container's ADD and DEL ended.
        leftovers.stream().filter(l -> l.contains(" (ADD "))
                .collect(Collectors.groupingBy(l -> l.substring(l.indexOf(" (ADD ") + 1), TreeMap::new, Collectors.counting()))
                .forEach((why, n) -> sb.append(fmt("  %d leftover objects of containers with %s%n", n, why)));
        for (List<String> problems : List.of(duplicates, lost, leftovers)) {
            problems.stream().limit(10).forEach(l -> sb.append("  ").append(l).append('\n'));
        }
        return sb.toString();
    }

    /**
     * Every call as a tab-separated line: phase, container, node (as in the {@code node-N} work
     * directories), start in ms after the phase's first exec, exit, milliseconds, failure,
     * addresses, first error line.
     */
    public List<String> callsTsv() {
        List<String> lines = new java.util.ArrayList<>(
                List.of("phase\tcontainer\tnode\tstart_ms\texit\tms\tfailure\taddresses\terror"));
        for (var named : List.of(Map.entry("ADD", add), Map.entry("DEL", del))) {
            List<CniCall> calls = named.getValue().calls();
            long first = calls.stream().filter(java.util.Objects::nonNull).mapToLong(CniCall::started).min().orElse(0);
            for (int i = 0; i < calls.size(); i++) {
                CniCall c = calls.get(i);
                String error = c.stderr().lines().filter(l -> l.contains("[error]")).findFirst().orElse("");
                lines.add(String.join("\t", named.getKey(), BurstRun.containerId(i),
                        Integer.toString(BurstRun.nodeOf(i, plan) + 1), fmt("%.1f", (c.started() - first) / 1e6),
                        Integer.toString(c.exit()), fmt("%.1f", c.nanos() / 1e6), c.ok() ? "" : c.failure(),
                        String.join(",", c.addresses()), c.ok() ? error : c.stdout().strip()));
            }
        }
        return lines;
    }

    /** The header of {@link #tableRow()}. */
    public static String tableHeader() {
        return "| binary | store | ADD phase | ADD/s | ADD p50 / p99 / max | failed ADDs | DEL phase | failed DELs "
                + "| requests/ADD | duplicates | leaked addresses |\n|---|---|---|---|---|---|---|---|---|---|---|";
    }

    /** One Markdown table row for the summary. */
    public String tableRow() {
        Long requests = add.requests().get("requests");
        return fmt("| %s | %s | %.2f s | %.1f | %s / %s / %s | %d%s | %.2f s | %d%s | %s | %d | %d |", label, store,
                add.nanos() / 1e9, add.rate(), ms(add.percentileMillis(50)), ms(add.percentileMillis(99)),
                ms(add.percentileMillis(100)), add.failed(), add.failures().isEmpty() ? "" : " " + add.failures(),
                del.nanos() / 1e9, del.failed(),
                del.succeededWithError() == 0 ? "" : " (" + del.succeededWithError() + " ok with [error])",
                requests == null ? "-" : fmt("%.2f", requests / (double) add.calls().size()),
                duplicates.size(), leakedAddresses());
    }

    /** {@code other}'s figures over this one's: how many times slower {@code other} is. */
    public String ratioTo(BurstResult other) {
        return fmt("%s / %s on %s: ADD phase %.2fx, ADD p50 %.2fx, ADD p99 %.2fx, DEL phase %.2fx", other.label, label,
                store, other.add.nanos() / (double) add.nanos(),
                other.add.percentileMillis(50) / add.percentileMillis(50),
                other.add.percentileMillis(99) / add.percentileMillis(99), other.del.nanos() / (double) del.nanos());
    }

    private static String ms(double millis) {
        return millis >= 1000 ? fmt("%.2f s", millis / 1000) : fmt(millis < 10 ? "%.1f ms" : "%.0f ms", millis);
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    @Override
    public String toString() {
        return report();
    }
}
