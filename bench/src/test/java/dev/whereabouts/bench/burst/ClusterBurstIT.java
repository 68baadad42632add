package dev.whereabouts.bench.burst;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster burst, short: 3 node daemons (separate processes) x 4 concurrent plugin execs, 60 ADDs
 * then 60 DELs on one pool, on a real etcd and on the Kubernetes mock API server. Fails on any
 * address handed out twice, lost or leaked, and on any failed call. Runs in CI ({@code ./mvnw -B
 * verify}) after cni-launcher has packaged the plugin tree.
 */
class ClusterBurstIT {

    // Correctness, not speed: every call runs with the plugin's default budget (upstream's 2 min for
    // an ADD), as on a node, and a call that gives up (code 11) is a failure here. The latency goal
    // is the full burst's business (bench/burst/burst.sh).
    private static final long STORE_TIMEOUT_MS = 0;
    // No start-up warm-up: it changes no answer, and six daemons' worth of it per test was most of
    // this test's CPU on two cores.
    private static final int DAEMON_WARMUP = 0;
    private static final Path TREE = Path.of(System.getProperty("whereabouts.tree", "../cni-launcher/target/whereabouts"));

    @Test
    void aShortBurstOnEtcdAndTheMockHandsOutNoAddressTwiceAndLeaksNone() throws Exception {
        burstAndCheck(false);
    }

    /** The same with the stores' pool watches on, so that lost races wait for the winner's event. */
    @Test
    void withPoolWatchesTooNoAddressIsHandedOutTwiceOrLeaked() throws Exception {
        burstAndCheck(true);
    }

    /**
     * {@code UPSTREAM_BIN}: another whereabouts-compatible binary runs the same burst after ours on the
     * same store, is checked the same way, and the ratios are printed. Our own plugin without a daemon
     * stands in for upstream's Go build, behind a wrapper that points its attachment journal into this
     * test's directory: the harness sends upstream's fields only.
     */
    @Test
    void anotherBinaryRunsTheSameBurstAfterOursAndTheRatiosArePrinted(@TempDir Path tmp) throws Exception {
        Path other = tmp.resolve("other-whereabouts");
        Files.writeString(other, """
                #!/bin/bash
                export WHEREABOUTS_DAEMON_SOCKET=%s
                config=$(cat)
                from='"ipam":{'
                to='"ipam":{"attachments_dir":"%s",'
                printf '%%s' "${config/"$from"/"$to"}" | exec %s
                """.formatted(tmp.resolve("no-daemon/daemon.sock"), tmp.resolve("attachments"),
                        TREE.toAbsolutePath().resolve("bin/whereabouts")));
        Files.setPosixFilePermissions(other, PosixFilePermissions.fromString("rwxr-xr-x"));
        var options = new Burst.Options(TREE, 1, 2, 4, List.of("etcd"), "10.79.0.0/16", "10.80.0.0/16", "1.0.0",
                STORE_TIMEOUT_MS, other, null, false, false, 1, 0, DAEMON_WARMUP, false, 20, 50);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        List<BurstResult> results = Burst.run(options, new PrintStream(printed, true, StandardCharsets.UTF_8));
        String report = printed.toString(StandardCharsets.UTF_8);
        System.out.print(report);
        assertEquals(List.of("whereabouts-java", "upstream"), results.stream().map(BurstResult::label).toList(), report);
        check(results, 4);
        assertTrue(report.contains("upstream / whereabouts-java on etcd: ADD phase "), report);
        assertTrue(report.contains("| upstream | etcd |"), report);
    }

    private static void burstAndCheck(boolean watchPools) throws Exception {
        var options = new Burst.Options(TREE, 3, 4, 60, List.of("etcd", "kubernetes-mock"), "10.77.0.0/16",
                "10.78.0.0/16", "1.0.0", STORE_TIMEOUT_MS, null, null, false, false, 1, 0, DAEMON_WARMUP, watchPools, 20, 50);
        List<BurstResult> results = Burst.run(options, System.out);
        assertEquals(2, results.size());
        check(results, 60);
    }

    private static void check(List<BurstResult> results, int adds) {
        for (BurstResult r : results) {
            String report = r.report();
            assertAll(r.store(),
                    () -> assertEquals(List.of(), r.duplicates(), report),
                    () -> assertEquals(List.of(), r.lost(), report),
                    () -> assertEquals(List.of(), r.leftovers(), report),
                    () -> assertEquals(adds, r.add().calls().size(), report),
                    () -> assertEquals(0, r.add().failed(), report),
                    () -> assertEquals(0, r.del().failed(), report));
        }
    }
}
