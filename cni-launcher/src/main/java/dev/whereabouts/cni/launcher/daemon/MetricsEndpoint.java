package dev.whereabouts.cni.launcher.daemon;

import dev.whereabouts.metrics.MetricRegistry;
import dev.whereabouts.metrics.MetricsAddress;
import dev.whereabouts.metrics.MetricsServer;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's {@code GET /metrics}: where it listens ({@code --metrics}, {@code --no-metrics},
 * {@code $WHEREABOUTS_METRICS_ADDRESS}, else {@code 127.0.0.1:19109}) and the server itself.
 */
public final class MetricsEndpoint implements AutoCloseable {

    /** The environment variable: {@code PORT}, {@code HOST:PORT} on loopback, or {@code off}. */
    public static final String ENV = "WHEREABOUTS_METRICS_ADDRESS";

    private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);

    private final MetricsServer server;

    private MetricsEndpoint(MetricsServer server) {
        this.server = server;
    }

    /**
     * Where to serve: the flag's value when given ({@code "off"} for {@code --no-metrics}), else the
     * environment's when set and not blank, else the default.
     *
     * @throws IllegalArgumentException for an address that is not loopback or does not parse
     */
    public static Optional<MetricsAddress> choose(String flag, Map<String, String> env) {
        String text = flag != null ? flag : env.getOrDefault(ENV, "");
        return text.isBlank() ? Optional.of(MetricsAddress.DEFAULT) : MetricsAddress.parse(text);
    }

    /**
     * Serves {@code registry} at {@code at}, or nothing when empty. A port that cannot be bound is
     * logged and the daemon goes on without metrics: a port taken on the host must not stop a
     * node's CNI calls.
     */
    public static MetricsEndpoint start(Optional<MetricsAddress> at, MetricRegistry registry) {
        if (at.isEmpty()) {
            LOG.info("metrics endpoint off");
            return new MetricsEndpoint(null);
        }
        try {
            MetricsServer server = MetricsServer.start(at.get(), registry);
            // the port bound, which differs from the one asked for when that was 0
            LOG.info("metrics on http://{}/metrics",
                    new MetricsAddress(server.address()));
            return new MetricsEndpoint(server);
        } catch (IOException e) {
            LOG.error("metrics endpoint not started, serving CNI calls without it: cannot listen on {}: {}",
                    at.get(), e.toString());
            return new MetricsEndpoint(null);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
