package dev.whereabouts.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The endpoint and its address rules. */
class MetricsServerTest {

    @Test
    void servesTheRegistryOnLoopback() throws Exception {
        var registry = new MetricRegistry();
        registry.counter("t_total", "x").add(5);
        try (var server = MetricsServer.start(MetricsAddress.parse("127.0.0.1:0").orElseThrow(), registry)) {
            String base = "http://127.0.0.1:" + server.address().getPort();
            HttpURLConnection ok = open(base + "/metrics", "GET");
            assertEquals(200, ok.getResponseCode());
            assertEquals("text/plain; version=0.0.4; charset=utf-8", ok.getContentType());
            String body = read(ok.getInputStream());
            assertTrue(body.contains("\nt_total 5\n"), body);
            assertEquals(404, open(base + "/", "GET").getResponseCode());
            assertEquals(405, open(base + "/metrics", "DELETE").getResponseCode());
            assertEquals(200, open(base + "/metrics", "HEAD").getResponseCode());
        }
    }

    private static HttpURLConnection open(String url, String method) throws IOException {
        var c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setRequestMethod(method);
        return c;
    }

    private static String read(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void addresses() {
        assertEquals("127.0.0.1:9", MetricsAddress.parse("9").orElseThrow().toString());
        assertEquals("127.0.0.1:19109", MetricsAddress.DEFAULT.toString());
        assertEquals("[0:0:0:0:0:0:0:1]:80", MetricsAddress.parse("[::1]:80").orElseThrow().toString());
        assertEquals(Optional.empty(), MetricsAddress.parse(" OFF "));
        assertEquals(1234, MetricsAddress.parse("localhost:1234").orElseThrow().socket().getPort());
        assertThrows(IllegalArgumentException.class, () -> MetricsAddress.parse("0.0.0.0:9109"));
        assertThrows(IllegalArgumentException.class, () -> MetricsAddress.parse("10.1.2.3:9109"));
        assertThrows(IllegalArgumentException.class, () -> MetricsAddress.parse("::1:80"));
        assertThrows(IllegalArgumentException.class, () -> MetricsAddress.parse("127.0.0.1:70000"));
        assertThrows(IllegalArgumentException.class, () -> MetricsAddress.parse("127.0.0.1:x"));
        assertThrows(IllegalArgumentException.class, () -> MetricsAddress.parse(""));
        assertThrows(IllegalArgumentException.class, () -> new MetricsAddress(new InetSocketAddress("0.0.0.0", 1)));
    }
}
