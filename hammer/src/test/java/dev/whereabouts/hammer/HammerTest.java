package dev.whereabouts.hammer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A short hammer per store: eight worker processes, a small pool so that exhaustion and contention
 * happen, and SIGKILLs at random moments. The long runs are in the closing notes, made with the
 * same code through {@link Hammer#main}.
 */
class HammerTest {

    @ParameterizedTest
    @ValueSource(strings = {"file", "etcd", "kubernetes"})
    void noStoreHandsOutAnAddressTwiceLosesOneOrLeaksOne(String store) throws Exception {
        long started = System.nanoTime();
        HammerReport report = Hammer.run("--store", store, "--workers", "8", "--ops", "320", "--prefix", "27",
                "--seed", "42", "--kills-per-second", "1");
        System.err.printf("%s: %s (%.1f s)%n", store, report.summary(), (System.nanoTime() - started) / 1e9);
        assertEquals(java.util.List.of(), report.violations(), report.summary());
        assertTrue(report.operations() >= 320, "every worker must finish its operations: " + report.summary());
        assertTrue(report.killed() > 0, "the run must have killed workers: " + report.summary());
        assertTrue(report.adds() > 0 && report.dels() > 0, report.summary());
    }
}
