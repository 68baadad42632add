package dev.whereabouts.store.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * close() leaves nothing running that would keep the plugin process alive. Checked in a fresh JVM
 * ({@link CloseProbe}) so that no other test's clients or gRPC's shared resources blur the picture.
 */
class CloseTest {

    @Test
    void noThreadOfTheClientOutlivesClose(@TempDir Path dir) throws Exception {
        try (EtcdServer etcd = EtcdServer.start()) {
            Path out = dir.resolve("threads.txt");
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"),
                    CloseProbe.class.getName(), etcd.endpoint(), out.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("probe.log").toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("the JVM did not end after close(): a thread kept it alive; " + Files.readString(dir.resolve("probe.log")));
            }
            assertEquals(0, p.exitValue(), Files.readString(dir.resolve("probe.log")));
            Map<String, List<String>> report = new HashMap<>();
            for (String line : Files.readAllLines(out)) {
                int space = line.indexOf(' ');
                String value = line.substring(space + 1);
                report.put(line.substring(0, space), value.isEmpty() ? List.of() : Arrays.asList(value.split(",")));
            }
            List<String> seen = report.get("SEEN");
            assertTrue(seen.stream().anyMatch(n -> n.startsWith("whereabouts-etcd-")), "the client's own pool ran the calls: " + seen);
            assertTrue(seen.stream().anyMatch(n -> CloseProbe.networkThread(n) && !n.startsWith("whereabouts-etcd-")),
                    "a network event loop served the calls: " + seen);
            assertEquals(List.of(), report.get("OWN-LEFT-AT-CLOSE"), "close() waits for the client's own threads");
            assertEquals(List.of(), report.get("NETWORK-LEFT"), "network threads end shortly after close()");
            assertEquals(List.of(), report.get("NON-DAEMON-LEFT"), "no non-daemon thread may survive close()");
        }
    }
}
