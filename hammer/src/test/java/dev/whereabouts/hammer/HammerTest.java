package dev.whereabouts.hammer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A short hammer per store: eight worker processes, a small pool so that exhaustion and contention
 * happen, and SIGKILLs at random moments; the engine in each worker, and once the shipped binary
 * behind its node daemon. The long runs are in the closing notes, made with the
 * same code through {@link Hammer#main}.
 */
class HammerTest {

    @ParameterizedTest
    @ValueSource(strings = {"file", "etcd", "kubernetes"})
    void noStoreHandsOutAnAddressTwiceLosesOneOrLeaksOne(String store) throws Exception {
        // The mock API server is the slowest store here; fewer operations keep CI near a minute.
        HammerReport report = hammer(store, store.equals("kubernetes") ? 240 : 320, "--seed", "42");
        assertTrue(report.adds() > 0 && report.dels() > 0, report.summary());
    }

    /** Runs the hammer on {@code store} with 8 workers, a /27 and a kill per second, and checks its report. */
    private static HammerReport hammer(String store, int ops, String... more) throws Exception {
        long started = System.nanoTime();
        var args = new java.util.ArrayList<>(java.util.List.of("--store", store, "--workers", "8", "--ops",
                Integer.toString(ops), "--prefix", "27", "--kills-per-second", "1"));
        args.addAll(java.util.List.of(more));
        HammerReport report = Hammer.run(args.toArray(String[]::new));
        System.err.printf("%s %s: %s (%.1f s)%n", store, java.util.List.of(more), report.summary(),
                (System.nanoTime() - started) / 1e9);
        assertEquals(java.util.List.of(), report.violations(), report.summary());
        assertTrue(report.operations() >= ops, "every worker must finish its operations: " + report.summary());
        assertTrue(report.killed() > 0, "the run must have killed workers: " + report.summary());
        return report;
    }

    /**
     * Two pools over the same addresses (a /27 and the /28 at its start), half the workers on each:
     * only the reservations keep them apart, and a kill between a pool write and its reservation is
     * what must not leave an address with two owners.
     */
    @ParameterizedTest
    @ValueSource(strings = {"file", "etcd", "kubernetes"})
    void overlappingPoolsNeverShareAnAddressUnderKills(String store) throws Exception {
        hammer(store, store.equals("kubernetes") ? 200 : 240, "--seed", "7", "--overlap");
    }

    @Test
    void theShippedBinaryBehindItsDaemonHoldsUpToo() throws Exception {
        Path plugin = Path.of(System.getProperty("whereabouts.plugin", "../cni-launcher/target/whereabouts/bin/whereabouts"));
        assertTrue(Files.isExecutable(plugin), plugin + " is missing: build cni-launcher first (./mvnw package)");
        hammer("file", 160, "--seed", "5", "--plugin", plugin.toString());
    }
}
