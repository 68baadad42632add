package dev.whereabouts.cni.launcher.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SocketPathTest {

    private static Path find(Map<String, String> env, String json) {
        return SocketPath.find(env, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void configKeyWins() {
        assertEquals(Path.of("/run/x/d.sock"),
                find(Map.of(), "{\"ipam\": {\"daemon_socket\" :  \"/run/x/d.sock\", \"range\":\"10.0.0.0/8\"}}"));
    }

    @Test
    void environmentWinsOverConfig() {
        assertEquals(Path.of("/e.sock"),
                find(Map.of("WHEREABOUTS_DAEMON_SOCKET", "/e.sock"), "{\"daemon_socket\":\"/c.sock\"}"));
    }

    @Test
    void defaultWhenAbsentOrNotAString() {
        assertEquals(Path.of(SocketPath.DEFAULT), find(Map.of(), "{\"ipam\":{}}"));
        assertEquals(Path.of(SocketPath.DEFAULT), find(Map.of(), "{\"daemon_socket\":5}"));
        assertEquals(Path.of(SocketPath.DEFAULT), find(Map.of(), "not json"));
    }

    @Test
    void escapesAreDecodedAndKeyInsideAValueIsSkipped() {
        assertEquals("/a/b c\"d", SocketPath.scan("{\"daemon_socket\":\"\\/a\\/b\\u0020c\\\"d\"}", "daemon_socket"));
        assertEquals("/real", SocketPath.scan("{\"x\":\"\\\"daemon_socket\\\"\",\"daemon_socket\":\"/real\"}",
                "daemon_socket"));
        assertNull(SocketPath.scan("{\"daemon_socket\":\"unterminated", "daemon_socket"));
    }

    @Test
    void theNodeFlatFileNamesTheSocketWhenStdinDoesNot(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path flat = dir.resolve("whereabouts.conf");
        java.nio.file.Files.writeString(flat, "{\"datastore\":\"kubernetes\",\"daemon_socket\":\"/run/custom/d.sock\"}");
        byte[] plain = "{\"ipam\":{}}".getBytes(StandardCharsets.UTF_8);
        assertEquals(Path.of("/run/custom/d.sock"), SocketPath.find(Map.of(), plain, flat));
        assertEquals(Path.of("/c.sock"), SocketPath.find(Map.of(), "{\"daemon_socket\":\"/c.sock\"}".getBytes(StandardCharsets.UTF_8), flat),
                "the network's own setting wins");
        assertEquals(Path.of(SocketPath.DEFAULT), SocketPath.find(Map.of(), plain, dir.resolve("absent.conf")));
    }
}
