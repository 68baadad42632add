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
        long started = System.nanoTime();
        // The mock API server is the slowest store here; fewer operations keep CI near a minute.
        String ops = store.equals("kubernetes") ? "240" : "320";
        HammerReport report = Hammer.run("--store", store, "--workers", "8", "--ops", ops, "--prefix", "27",
                "--seed", "42", "--kills-per-second", "1");
        System.err.printf("%s: %s (%.1f s)%n", store, report.summary(), (System.nanoTime() - started) / 1e9);
        assertEquals(java.util.List.of(), report.violations(), report.summary());
        assertTrue(report.operations() >= Integer.parseInt(ops), "every worker must finish its operations: " + report.summary());
        assertTrue(report.killed() > 0, "the run must have killed workers: " + report.summary());
        assertTrue(report.adds() > 0 && report.dels() > 0, report.summary());
    }

    @Test
    void theShippedBinaryBehindItsDaemonHoldsUpToo() throws Exception {
        Path plugin = Path.of(System.getProperty("whereabouts.plugin", "../cni-launcher/target/whereabouts/bin/whereabouts"));
        assertTrue(Files.isExecutable(plugin), plugin + " is missing: build cni-launcher first (./mvnw package)");
        long started = System.nanoTime();
        HammerReport report = Hammer.run("--store", "file", "--workers", "8", "--ops", "160", "--prefix", "27",
                "--seed", "5", "--kills-per-second", "1", "--plugin", plugin.toString());
        System.err.printf("file through %s: %s (%.1f s)%n", plugin.getFileName(), report.summary(),
                (System.nanoTime() - started) / 1e9);
        assertEquals(java.util.List.of(), report.violations(), report.summary());
        assertTrue(report.operations() >= 160 && report.killed() > 0, report.summary());
    }
}
