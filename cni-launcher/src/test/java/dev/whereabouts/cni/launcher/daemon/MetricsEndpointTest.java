package dev.whereabouts.cni.launcher.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.metrics.MetricRegistry;
import dev.whereabouts.metrics.MetricsAddress;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where the daemon's endpoint listens, and that a taken port does not stop the daemon. */
class MetricsEndpointTest {

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

    @Test
    void aTakenPortLeavesTheDaemonRunningWithoutMetrics() throws Exception {
        try (var taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                var endpoint = MetricsEndpoint.start(MetricsAddress.parse("127.0.0.1:" + taken.getLocalPort()),
                        new MetricRegistry())) {
            assertTrue(taken.isBound() && endpoint != null, "started, without a server, instead of failing");
        }
        MetricsEndpoint.start(Optional.empty(), new MetricRegistry()).close();
    }
}
