package dev.whereabouts.bench.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The short fault suite (CI): every fault once, a few seconds each, through the shipped plugin and
 * its daemon. It asserts the promises — no duplicate, no leaked or lost address once the store is
 * back and the daemon has retried, every failed call one CNI error with code 11 — and prints the
 * recovery times without judging them. The long version: docs/operations.md, "Fault suite".
 */
class FaultSuiteIT {

    private static final Path TREE = Path.of(System.getProperty("whereabouts.tree", "../cni-launcher/target/whereabouts"));

    @Test
    void noFaultDuplicatesLeaksOrLosesAnAddressAndEveryFailureIsCode11() throws Exception {
        assertTrue(Files.isExecutable(TREE.resolve("bin/whereabouts")), TREE + " is missing: package cni-launcher first");
        Path work = Files.createTempDirectory(Path.of("target"), "faults-");
        // -Dfaults.args="--fault-ms 20000 ..." lengthens it without a second test
        List<String> args = new java.util.ArrayList<>(List.of("--tree", TREE.toString(), "--work", work.toString()));
        String extra = System.getProperty("faults.args", "").strip();
        if (!extra.isEmpty()) {
            args.addAll(List.of(extra.split("\\s+")));
        }
        List<FaultResult> results = FaultSuite.run(args.toArray(String[]::new));
        System.err.println(FaultSuite.table(results));
        assertEquals(FaultKind.values().length, results.size());
        assertEquals(List.of(), results.stream().flatMap(r -> r.violations().stream()).toList(), FaultSuite.table(results));
        assertTrue(results.stream().allMatch(r -> r.calls() > 0), FaultSuite.table(results));
    }
}
