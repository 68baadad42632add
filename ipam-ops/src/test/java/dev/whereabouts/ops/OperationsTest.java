package dev.whereabouts.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's entry points do nothing harmful where they do not apply. */
class OperationsTest {

    @TempDir
    Path dir;

    @Test
    void daemonServicesOutsideAPodWithoutAFlatFileStartNothing() throws Exception {
        try (AutoCloseable _ = Operations.daemonServices(dir.resolve("missing.conf"), Map.of())) {
            assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(
                    t -> t.getName().equals("whereabouts-reconciler") || t.getName().equals("whereabouts-token-watcher")));
        }
    }

    @Test
    void daemonServicesSkipTheReconcilerForAStoreWithoutKubeconfig() throws Exception {
        Path flat = dir.resolve("whereabouts.conf");
        Files.writeString(flat, "{\"datastore\":\"file\",\"file\":{\"data_dir\":\"" + dir + "\"}}");
        try (AutoCloseable _ = Operations.daemonServices(flat, Map.of())) {
            assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("whereabouts-reconciler")));
        }
    }

    @Test
    void ctlIsReachable() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Operations.ctl(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertEquals(0, code);
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: whereabouts ctl"));
    }
}
