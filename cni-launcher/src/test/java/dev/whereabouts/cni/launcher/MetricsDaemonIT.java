package dev.whereabouts.cni.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped daemon's {@code /metrics}: CNI calls through the binary are counted by command and
 * code, timed, and the pool they used shows its size and use; the endpoint listens on loopback only
 * and not at all when switched off.
 */
class MetricsDaemonIT {

    @TempDir
    Path dir;

    @Test
    void callsThroughTheBinaryAreCountedAndScrapedOverHttp() throws Exception {
        Path socket = dir.resolve("run/d.sock");
        int port = freePort();
        try (var daemon = new Plugin.Daemon(socket, List.of(), List.of("--metrics", "127.0.0.1:" + port), Map.of())) {
            String config = Plugin.config("1.0.0", dir.resolve("data"), socket, "10.77.0.0/24");
            assertEquals(0, call("ADD", "m1", config).exit());
            // the JVM client comes in over the UNIX socket, the shell client over loopback TCP: both counted
            assertEquals(0, call("DEL", "m1", config, Map.of("WHEREABOUTS_CLIENT", "jvm")).exit());
            assertEquals(0, call("ADD", "m2", config).exit());
            Plugin.Run bad = call("ADD", "m3", config.replace("10.77.0.0/24", "10.77.0.0/33"));
            assertEquals(1, bad.exit(), bad.toString());
            Matcher code = Pattern.compile("\"code\":(\\d+)").matcher(bad.stdout());
            assertTrue(code.find(), bad.stdout());

            String text = scrape(port);
            assertEquals(2, value(text, "whereabouts_cni_calls_total{command=\"ADD\",code=\"0\"}"), text);
            assertEquals(1, value(text, "whereabouts_cni_calls_total{command=\"ADD\",code=\"" + code.group(1) + "\"}"));
            assertEquals(1, value(text, "whereabouts_cni_calls_total{command=\"DEL\",code=\"0\"}"));
            assertEquals(3, value(text, "whereabouts_cni_call_duration_seconds_count{command=\"ADD\"}"));
            assertEquals(3, value(text, "whereabouts_cni_call_duration_seconds_bucket{command=\"ADD\",le=\"+Inf\"}"));
            assertEquals(1, value(text, "whereabouts_pool_used{pool=\"10.77.0.0-24\"}"));
            assertEquals(253, value(text, "whereabouts_pool_size{pool=\"10.77.0.0-24\"}"), "254 less the gateway");
            assertEquals(3, value(text, "whereabouts_pool_writes_total{outcome=\"committed\"}"));
            assertTrue(Files.readString(daemon.log).contains("metrics on http://127.0.0.1:" + port + "/metrics"));
            assertEquals(0, value(text, "whereabouts_pool_reads_total{outcome=\"error\"}"));

            Optional<InetAddress> outside = nonLoopbackAddress();
            if (outside.isPresent()) {
                assertThrows(ConnectException.class, () -> connect(outside.get(), port),
                        "the endpoint must not answer on " + outside.get());
            }
        }
    }

    @Test
    void offSwitchWinsOverTheEnvironmentAndANonLoopbackAddressIsRefused() throws Exception {
        int port = freePort();
        Path socket = dir.resolve("off/d.sock");
        try (var daemon = new Plugin.Daemon(socket, List.of(), List.of("--no-metrics"),
                Map.of("WHEREABOUTS_METRICS_ADDRESS", "127.0.0.1:" + port))) {
            String config = Plugin.config("1.0.0", dir.resolve("data2"), socket, "10.78.0.0/24");
            assertEquals(0, call("ADD", "o1", config).exit());
            assertThrows(ConnectException.class, () -> connect(InetAddress.getLoopbackAddress(), port));
            assertTrue(Files.readString(daemon.log).contains("metrics endpoint off"));
        }
        var refused = Plugin.exec(Plugin.builder(List.of(Plugin.BIN.toString(), "daemon", "--socket",
                dir.resolve("wide/d.sock").toString(), "--metrics", "0.0.0.0:" + port), Map.of()), "");
        assertEquals(2, refused.exit(), refused.toString());
        assertTrue(refused.stderr().contains("loopback only"), refused.stderr());
        assertTrue(!Files.exists(dir.resolve("wide/d.sock")), "a refused daemon never binds its socket");
    }

    private static Plugin.Run call(String command, String id, String config) throws Exception {
        return call(command, id, config, Map.of());
    }

    private static Plugin.Run call(String command, String id, String config, Map<String, String> extra)
            throws Exception {
        var env = new HashMap<>(Plugin.env(command, id));
        env.putAll(extra);
        return Plugin.run(env, config);
    }

    private static String scrape(int port) throws IOException {
        var c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/metrics").toURL().openConnection();
        assertEquals(200, c.getResponseCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", c.getContentType());
        try (var in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static long value(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
        assertTrue(m.find(), series + " in\n" + scrape);
        return Math.round(Double.parseDouble(m.group(1)));
    }

    private static int freePort() throws IOException {
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void connect(InetAddress ip, int port) throws IOException {
        try (var s = new Socket()) {
            s.connect(new InetSocketAddress(ip, port), 2000);
        }
    }

    /** An address of this host that is not loopback, if it has one. */
    private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
            if (nic.isUp() && !nic.isLoopback()) {
                Optional<InetAddress> v4 = nic.inetAddresses().filter(a -> a instanceof Inet4Address).findFirst();
                if (v4.isPresent()) {
                    return v4;
                }
            }
        }
        return Optional.empty();
    }
}
