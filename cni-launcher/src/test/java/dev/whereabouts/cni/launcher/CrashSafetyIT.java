package dev.whereabouts.cni.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * kill -9 plugin processes at random moments during ADDs in fallback mode: the store must always
 * read back (the provider parses every file) with no address held twice, and later calls work.
 */
class CrashSafetyIT {

    @Test
    void killedPluginsNeverCorruptTheStore() throws Exception {
        Path dir = Files.createTempDirectory("wa-crash");
        Path data = dir.resolve("data");
        String config = Plugin.config("1.0.0", data, dir.resolve("run/none.sock"), "10.44.0.0/24");
        var random = new Random(42);
        int completed = 0;
        for (int round = 0; round < 6; round++) {
            List<Process> batch = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                var pb = Plugin.builder(List.of(Plugin.BIN.toString()), Plugin.env("ADD", "k" + round + "x" + i));
                pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
                Process p = pb.start();
                try (var in = p.getOutputStream()) {
                    in.write(config.getBytes());
                }
                batch.add(p);
            }
            Thread.sleep(150 + random.nextInt(900));
            for (Process p : batch) {
                if (random.nextBoolean()) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly(); // SIGKILL
                }
            }
            for (Process p : batch) {
                assertTrue(p.waitFor(120, TimeUnit.SECONDS));
                if (p.exitValue() == 0) {
                    completed++;
                }
            }
            StoreView.allocations(data); // parses every pool; fails on an address held twice
        }
        var after = Plugin.run(Plugin.env("ADD", "survivor"), config);
        assertEquals(0, after.exit(), after.toString());
        assertTrue(StoreView.allocations(data).size() >= completed + 1);
    }
}
