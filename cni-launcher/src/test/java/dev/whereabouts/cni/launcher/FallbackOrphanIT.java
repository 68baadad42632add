package dev.whereabouts.cni.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A call that no daemon answered runs in a JVM of its own ({@code run}); when the runtime kills the
 * plugin process, that JVM must stop too, not finish the call behind the runtime's back.
 */
class FallbackOrphanIT {

    @TempDir
    Path tmp;

    @Test
    void killingThePluginStopsTheCallItsFallbackWasServing() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        // the store's lock, held here, keeps the call waiting in the fallback for up to a minute
        String config = """
                {"cniVersion":"1.0.0","name":"wa-net","type":"bridge",
                 "ipam":{"type":"whereabouts","datastore":"file","daemon_socket":"%s",
                         "file":{"data_dir":"%s","lock_timeout_ms":60000},"attachments_dir":"%s",
                         "range":"10.42.0.0/24","log_level":"error"}}
                """.formatted(tmp.resolve("no-daemon/daemon.sock"), data, tmp.resolve("attachments"));
        try (FileChannel lockFile = FileChannel.open(data.resolve("lock"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileLock held = lockFile.lock()) {
            Process plugin = Plugin.builder(List.of(Plugin.BIN.toString()), Plugin.env("ADD", "orphan1"))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(tmp.resolve("plugin.err").toFile())
                    .start();
            try (var in = plugin.getOutputStream()) {
                in.write(config.getBytes(StandardCharsets.UTF_8));
            }
            ProcessHandle run = fallbackOf(plugin);
            Thread.sleep(1500); // let it reach the store, or not: either way it must stop
            assertTrue(run.isAlive(), "the fallback ended by itself while the store was locked");

            plugin.destroyForcibly(); // what a runtime does to a call it gives up
            assertTrue(plugin.waitFor(10, TimeUnit.SECONDS));
            assertTrue(run.onExit().completeOnTimeout(null, 10, TimeUnit.SECONDS).get() != null,
                    "the fallback's JVM still runs 10 s after its plugin process was killed");
        }
        // nothing was committed: the call stopped while it waited for the lock
        try (Stream<Path> files = Files.walk(data)) {
            assertEquals(List.of(), files.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().equals("lock")).toList());
        }
        assertFalse(Files.readString(tmp.resolve("plugin.err")).contains("Exception"));
    }

    /** The {@code run} JVM the plugin process starts for a call no daemon answers. */
    private static ProcessHandle fallbackOf(Process plugin) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Optional<ProcessHandle> child = plugin.toHandle().children().findFirst();
            if (child.isPresent()) {
                return child.get();
            }
            assertTrue(plugin.isAlive(), "the plugin ended without starting its fallback");
            Thread.sleep(20);
        }
        throw new AssertionError("the plugin started no fallback within 60 s");
    }
}
