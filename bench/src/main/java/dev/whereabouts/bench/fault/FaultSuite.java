package dev.whereabouts.bench.fault;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fault suite: ADD/DEL load through the shipped plugin and its node daemon while etcd pauses,
 * etcd dies and restarts, the daemon is SIGKILLed and restarted, and the mock API server answers
 * 503, answers late or resets connections. For each fault: duplicates, leaked and lost addresses,
 * how failed calls failed, and how long until calls succeed again.
 *
 * <pre>
 * java -cp ... dev.whereabouts.bench.fault.FaultSuite [--tree DIR] [--work DIR] [--faults etcd_pause,...]
 *     [--warm-ms N] [--fault-ms N] [--after-ms N] [--callers N]
 * </pre>
 */
public final class FaultSuite {

    private FaultSuite() {
    }

    /** Runs the suite and prints the table; exits 1 when a promise was broken. */
    public static void main(String[] args) throws Exception {
        List<FaultResult> results = run(args);
        System.out.println(table(results));
        List<String> violations = results.stream().flatMap(r -> r.violations().stream()).toList();
        violations.forEach(v -> System.out.println("VIOLATION " + v));
        System.exit(violations.isEmpty() ? 0 : 1);
    }

    /** Runs the faults named by the arguments (all by default) and returns their results. */
    static List<FaultResult> run(String... args) throws Exception {
        Path tree = Path.of(option(args, "--tree", "cni-launcher/target/whereabouts"));
        Path binary = tree.resolve("bin/whereabouts");
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException(binary + " is missing: ./mvnw -pl cni-launcher -am package first");
        }
        Path work = Files.createDirectories(Path.of(option(args, "--work", "target/faults"))).toAbsolutePath();
        var timing = new FaultScenario.Timing(Long.parseLong(option(args, "--warm-ms", "1500")),
                Long.parseLong(option(args, "--fault-ms", "3000")), Long.parseLong(option(args, "--after-ms", "2500")),
                Integer.parseInt(option(args, "--callers", "4")));
        List<FaultKind> faults = Arrays.stream(option(args, "--faults", allFaults()).split(","))
                .map(f -> FaultKind.valueOf(f.strip().toUpperCase(java.util.Locale.ROOT))).toList();
        List<FaultResult> results = new ArrayList<>();
        try (Node node = new Node(binary, work.resolve("node"));
                FaultBackend etcd = new FaultBackend.Etcd(work);
                FaultBackend mock = new FaultBackend.Mock(work.resolve("mock"))) {
            for (FaultKind fault : faults) {
                FaultResult r = FaultScenario.run(fault, fault.etcd ? etcd : mock, node, binary, timing, fault.ordinal());
                System.err.println(r.row());
                results.add(r);
            }
        }
        return results;
    }

    /** The results as a Markdown table. */
    static String table(List<FaultResult> results) {
        StringBuilder sb = new StringBuilder(FaultResult.header());
        results.forEach(r -> sb.append('\n').append(r.row()));
        return sb.toString();
    }

    private static String allFaults() {
        return String.join(",", Arrays.stream(FaultKind.values()).map(Enum::name).toList());
    }

    /** The last value given for {@code name}: a wrapper script's defaults come first, the caller's after. */
    private static String option(String[] args, String name, String fallback) {
        String value = fallback;
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                value = args[i + 1];
            }
        }
        return value;
    }
}
