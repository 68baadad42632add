package dev.whereabouts.ipam.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.engine.config.ConfigLoader;
import dev.whereabouts.ipam.engine.config.NetworkConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long-lived loader reuses what it parsed, yet every answer equals a fresh loader's: the same
 * stdin with other {@code CNI_ARGS} or environment, a flat file changed in place or replaced.
 */
class ConfigReuseTest {

    @TempDir
    Path tmp;

    private static byte[] net(String ipamFields) {
        return ConfigLoaderTest.net(ipamFields).getBytes(StandardCharsets.UTF_8);
    }

    private static void assertSameAsFresh(ConfigLoader warm, List<Path> flatFiles, byte[] stdin, String args,
            Map<String, String> env) {
        NetworkConfig fresh = new ConfigLoader(flatFiles).load(stdin, args, env);
        assertEquals(fresh, warm.load(stdin, args, env));
    }

    @Test
    void theCallsArgumentsAndEnvironmentAreNeverReused() {
        ConfigLoader warm = new ConfigLoader(List.of());
        byte[] stdin = net("\"range\":\"10.0.0.0/24\"");
        warm.load(stdin, "K8S_POD_NAMESPACE=a;K8S_POD_NAME=one", Map.of("NODENAME", "n1"));
        NetworkConfig second = warm.load(stdin, "K8S_POD_NAMESPACE=a;K8S_POD_NAME=two;IP=10.9.0.9/24",
                Map.of("NODENAME", "n2"));
        assertEquals("a/two", second.args().podRef());
        assertEquals("n2", second.env().get("NODENAME"));
        assertEquals(1, second.ipam().addresses().size());
        assertSameAsFresh(warm, List.of(), stdin, "K8S_POD_NAME=three", Map.of());
    }

    @Test
    void errorsComeBackEveryTimeInTheSameOrder() {
        ConfigLoader warm = new ConfigLoader(List.of());
        byte[] stdin = net("\"range\":\"10.0.0.0/24\"");
        warm.load(stdin, "", Map.of());
        IpamException bad = assertThrows(IpamException.class, () -> warm.load(stdin, "NOPE=1", Map.of()));
        assertEquals(IpamException.INVALID_ENVIRONMENT, bad.code());
        byte[] broken = net("\"range\":\"10.0.0.0/33\"");
        for (int i = 0; i < 2; i++) {
            assertThrows(IpamException.class, () -> warm.load(broken, "", Map.of()));
        }
    }

    @Test
    void aFlatFileChangedInPlaceOrReplacedIsReadAgain() throws Exception {
        Path flat = tmp.resolve("whereabouts.conf");
        Files.writeString(flat, "{\"range\":\"10.1.0.0/24\"}");
        // only a file whose change time has passed is remembered: age this one by waiting it out
        Thread.sleep(2100);
        ConfigLoader warm = new ConfigLoader(List.of(flat));
        byte[] stdin = net("\"datastore\":\"file\"");
        assertEquals("10.1.0.0/24", warm.load(stdin, "", Map.of()).ipam().ranges().getFirst().range().toString());
        assertEquals("10.1.0.0/24", warm.load(stdin, "", Map.of()).ipam().ranges().getFirst().range().toString());

        // same size, same modification time: the change time and the content still differ
        FileTime mtime = Files.getLastModifiedTime(flat);
        Files.writeString(flat, "{\"range\":\"10.2.0.0/24\"}");
        Files.setLastModifiedTime(flat, mtime);
        assertSameAsFresh(warm, List.of(flat), stdin, "", Map.of());
        assertEquals("10.2.0.0/24", warm.load(stdin, "", Map.of()).ipam().ranges().getFirst().range().toString());

        Path next = tmp.resolve("next.conf");
        Files.writeString(next, "{\"range\":\"10.3.0.0/24\"}");
        Files.setLastModifiedTime(next, FileTime.from(Instant.now().minusSeconds(60)));
        Files.move(next, flat, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertEquals("10.3.0.0/24", warm.load(stdin, "", Map.of()).ipam().ranges().getFirst().range().toString());

        Files.delete(flat);
        assertSameAsFresh(warm, List.of(flat), stdin, "", Map.of());
        assertEquals(List.of(), warm.load(stdin, "", Map.of()).ipam().ranges());
    }
}
