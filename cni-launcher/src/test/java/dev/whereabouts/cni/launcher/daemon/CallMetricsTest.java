package dev.whereabouts.cni.launcher.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.cni.launcher.client.Frames;
import dev.whereabouts.metrics.MetricsAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The labels a call is counted under, and where the daemon's endpoint listens. */
class CallMetricsTest {

    private static Frames.Reply reply(int exit, String stdout) {
        return new Frames.Reply(exit, stdout.getBytes(StandardCharsets.UTF_8), new byte[0]);
    }

    @Test
    void codeComesFromTheExitOrTheErrorObject() {
        assertEquals("0", CallMetrics.code(reply(0, "{\"cniVersion\":\"1.0.0\",\"ips\":[]}")));
        assertEquals("7", CallMetrics.code(reply(1,
                "{\"cniVersion\":\"1.0.0\",\"code\":7,\"msg\":\"x \\\"code\\\":9\",\"details\":\"\"}\n")));
        assertEquals("999", CallMetrics.code(reply(1, "{\"code\": 999}")));
        assertEquals("unknown", CallMetrics.code(reply(1, "")));
        assertEquals("unknown", CallMetrics.code(reply(1, "{\"code\":\"x\"}")));
    }

    @Test
    void commandsAreAFixedSet() {
        assertEquals("ADD", CallMetrics.command("ADD"));
        assertEquals("none", CallMetrics.command(null));
        assertEquals("none", CallMetrics.command(""));
        assertEquals("other", CallMetrics.command("add"));
        assertEquals("other", CallMetrics.command("DROP TABLE"));
    }

    @Test
    void flagWinsOverEnvironmentOverDefault() {
        assertEquals(Optional.of(MetricsAddress.DEFAULT), MetricsEndpoint.choose(null, Map.of()));
        assertEquals(Optional.of(MetricsAddress.DEFAULT), MetricsEndpoint.choose(null, Map.of(MetricsEndpoint.ENV, " ")));
        assertEquals(Optional.empty(), MetricsEndpoint.choose(null, Map.of(MetricsEndpoint.ENV, "off")));
        assertEquals(9999, MetricsEndpoint.choose(null, Map.of(MetricsEndpoint.ENV, "9999")).orElseThrow().socket().getPort());
        assertEquals(Optional.empty(), MetricsEndpoint.choose("off", Map.of(MetricsEndpoint.ENV, "9999")));
        assertEquals(1234, MetricsEndpoint.choose("127.0.0.2:1234", Map.of(MetricsEndpoint.ENV, "off")).orElseThrow()
                .socket().getPort());
        var e = assertThrows(IllegalArgumentException.class, () -> MetricsEndpoint.choose("0.0.0.0:1", Map.of()));
        assertTrue(e.getMessage().contains("loopback"), e.getMessage());
    }
}
