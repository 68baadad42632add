package dev.whereabouts.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code GET /metrics} on a loopback port: the registry in text format 0.0.4; any other path is 404,
 * any other method 405. One thread serves every scrape, one at a time: a scraper asks every few
 * seconds, and a burst of requests on loopback must not take threads from CNI calls.
 */
public final class MetricsServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService thread;
    private final MetricRegistry registry;

    private MetricsServer(HttpServer server, ExecutorService thread, MetricRegistry registry) {
        this.server = server;
        this.thread = thread;
        this.registry = registry;
    }

    /**
     * Binds {@code address} and starts serving {@code registry}.
     *
     * @throws IOException when the address cannot be bound (in use, for one)
     */
    public static MetricsServer start(MetricsAddress address, MetricRegistry registry) throws IOException {
        HttpServer http = HttpServer.create(address.socket(), 8);
        ExecutorService thread = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("whereabouts-metrics").daemon().factory());
        var server = new MetricsServer(http, thread, registry);
        http.createContext("/", server::handle);
        http.setExecutor(thread);
        http.start();
        return server;
    }

    /** The address bound, with the port chosen when 0 was asked for. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            body.skip(1 << 16); // a scrape has no body; take a little of a stray one so the reply is read
            String method = exchange.getRequestMethod();
            if (!exchange.getRequestURI().getPath().equals("/metrics")) {
                reply(exchange, 404, "not found: try /metrics\n", method);
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                reply(exchange, 405, "method not allowed\n", method);
            } else {
                exchange.getResponseHeaders().set("Content-Type", TextFormat.CONTENT_TYPE);
                reply(exchange, 200, registry.scrape(), method);
            }
        }
    }

    private static void reply(HttpExchange exchange, int status, String text, String method) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (!exchange.getResponseHeaders().containsKey("Content-Type")) {
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        }
        boolean head = method.equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Stops listening and ends the serving thread; a scrape in progress is cut off. */
    @Override
    public void close() {
        server.stop(0);
        thread.shutdownNow();
    }
}
