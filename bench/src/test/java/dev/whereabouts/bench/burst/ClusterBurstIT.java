package dev.whereabouts.bench.burst;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

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

    private static void burstAndCheck(boolean watchPools) throws Exception {
        var options = new Burst.Options(TREE, 3, 4, 60, List.of("etcd", "kubernetes-mock"), "10.77.0.0/16",
                "10.78.0.0/16", "1.0.0", STORE_TIMEOUT_MS, null, null, false, false, 1, 0, DAEMON_WARMUP, watchPools, 20, 50);
        List<BurstResult> results = Burst.run(options, System.out);
        assertEquals(2, results.size());
        for (BurstResult r : results) {
            String report = r.report();
            assertAll(r.store(),
                    () -> assertEquals(List.of(), r.duplicates(), report),
                    () -> assertEquals(List.of(), r.lost(), report),
                    () -> assertEquals(List.of(), r.leftovers(), report),
                    () -> assertEquals(60, r.add().calls().size(), report),
                    () -> assertEquals(0, r.add().failed(), report),
                    () -> assertEquals(0, r.del().failed(), report));
        }
    }
}
