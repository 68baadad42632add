package dev.whereabouts.metrics;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a {@link MetricsServer} listens: always a loopback address. The numbers describe the node's
 * traffic and pools, which is nobody's business off the node; a scraper reaches them through a
 * node-local agent or a proxy that does its own authentication.
 *
 * @param socket a loopback address and a port (0 for any free one)
 */
public record MetricsAddress(InetSocketAddress socket) {

    /**
     * The default port. Outside the Prometheus exporter range (9100-9999, all allocated; 9109 is the
     * Graphite exporter's), the Kubernetes node ports (10248-10260) and NodePort range (30000-32767),
     * and below the Linux ephemeral range (32768 and up), so nothing on a node picks it by chance.
     */
    public static final int DEFAULT_PORT = 19109;

    /** {@code 127.0.0.1:19109}. */
    public static final MetricsAddress DEFAULT =
            new MetricsAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), DEFAULT_PORT));

    /** Refuses anything but a resolved loopback address and a port in 0-65535. */
    public MetricsAddress {
        if (socket.isUnresolved() || !socket.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("metrics are served on loopback only, not on " + socket);
        }
    }

    /**
     * Parses {@code PORT}, {@code HOST:PORT} or {@code [IPV6]:PORT}, where the host must be a
     * loopback address or {@code localhost}; {@code off} (any case) means no endpoint.
     *
     * @throws IllegalArgumentException for anything else, with the reason
     */
    public static Optional<MetricsAddress> parse(String text) {
        String t = text.strip();
        if (t.toLowerCase(Locale.ROOT).equals("off")) {
            return Optional.empty();
        }
        int colon = t.lastIndexOf(':');
        String host = colon < 0 ? "127.0.0.1" : t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("metrics address '" + text + "': write an IPv6 host as [::1]:PORT");
        }
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("metrics address '" + text + "': the port is not a number");
        }
        if (port < 0 || port > 65535 || host.isEmpty()) {
            throw new IllegalArgumentException("metrics address '" + text + "': want PORT, HOST:PORT or off");
        }
        InetAddress ip;
        try {
            ip = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("metrics address '" + text + "': unknown host " + host);
        }
        return Optional.of(new MetricsAddress(new InetSocketAddress(ip, port)));
    }

    @Override
    public String toString() {
        String ip = socket.getAddress().getHostAddress();
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + socket.getPort();
    }
}
