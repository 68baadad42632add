package dev.whereabouts.store.kubernetes;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stand-in API server on a loopback port of this process, for the start-up warm-up only
 * ({@link LoopbackWarmup}): create, read, update (checking {@code resourceVersion}), delete (checking
 * a precondition) and list of namespaced objects of any kind, kept in memory, and watches of one
 * object by name that deliver its changes. It knows nothing of schemas, admission or field
 * selectors; what it answers is shaped as the API server shapes it, so that the real client, its
 * HTTP stack and the store's code run as they will against the cluster.
 */
final class LoopbackApi implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.shared();

    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    /** Objects by their path, {@code .../namespaces/<ns>/<plural>/<name>}. */
    private final Map<String, ObjectNode> objects = new ConcurrentHashMap<>();
    /** Open watches by the path of the object they watch. */
    private final Map<String, List<OutputStream>> watches = new ConcurrentHashMap<>();
    private final AtomicLong version = new AtomicLong(100);
    private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();

    private LoopbackApi(HttpServer server) {
        this.server = server;
        server.setExecutor(threads);
        server.createContext("/", this::serve);
        server.start();
    }

    /** Starts one on a free loopback port. */
    static LoopbackApi start() {
        try {
            return new LoopbackApi(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    /** Requests served so far by method, and objects left, as {@code DELETE=3 GET=5 objects=0}. */
    String counts() {
        Map<String, Long> sorted = new TreeMap<>();
        requests.forEach((k, v) -> sorted.put(k, v.get()));
        sorted.put("objects", (long) objects.size());
        StringBuilder sb = new StringBuilder();
        sorted.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : " ").append(k).append('=').append(v));
        return sb.toString();
    }

    private void serve(HttpExchange ex) throws IOException {
        requests.computeIfAbsent(ex.getRequestMethod(), k -> new AtomicLong()).incrementAndGet();
        String query = ex.getRequestURI().getRawQuery();
        String[] path = ex.getRequestURI().getPath().split("/");
        // [, apis, group, version, namespaces, ns, plural, name?] or [, api, v1, namespaces, ns, plural, name?]
        int ns = path.length > 3 && path[1].equals("api") ? 3 : 4;
        if (path.length <= ns + 2 || !path[ns].equals("namespaces")) {
            reply(ex, 404, status(404, "NotFound", "no such path"));
            return;
        }
        String collection = String.join("/", List.of(path).subList(0, ns + 3));
        String name = path.length > ns + 3 ? path[ns + 3] : null;
        byte[] body = ex.getRequestBody().readAllBytes();
        switch (ex.getRequestMethod()) {
            case "GET" -> {
                if (query != null && query.contains("watch=true")
                        && "websocket".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Upgrade"))) {
                    // No WebSocket here: a 503 to the handshake makes the client watch over plain HTTP.
                    reply(ex, 503, status(503, "ServiceUnavailable", "no websocket watches"));
                } else if (query != null && query.contains("watch=true")) {
                    watch(ex, collection, query);
                } else if (name == null) {
                    list(ex, collection);
                } else {
                    ObjectNode o = objects.get(collection + "/" + name);
                    reply(ex, o == null ? 404 : 200, o == null ? status(404, "NotFound", name + " not found") : o);
                }
            }
            case "POST" -> create(ex, collection, (ObjectNode) JSON.readTree(body));
            case "PUT" -> update(ex, collection + "/" + name, (ObjectNode) JSON.readTree(body));
            case "DELETE" -> delete(ex, collection + "/" + name, body);
            default -> reply(ex, 405, status(405, "MethodNotAllowed", ex.getRequestMethod()));
        }
    }

    private void create(HttpExchange ex, String collection, ObjectNode o) throws IOException {
        String key = collection + "/" + o.path("metadata").path("name").asString();
        ObjectNode meta = (ObjectNode) o.path("metadata");
        meta.put("resourceVersion", Long.toString(version.incrementAndGet()));
        meta.put("uid", "warmup-" + version.get());
        if (objects.putIfAbsent(key, o) != null) {
            reply(ex, 409, status(409, "AlreadyExists", key + " already exists"));
            return;
        }
        reply(ex, 201, o);
        changed(key, "ADDED", o);
    }

    private void update(HttpExchange ex, String key, ObjectNode o) throws IOException {
        ObjectNode meta = (ObjectNode) o.path("metadata");
        String expected = meta.path("resourceVersion").asString("");
        ObjectNode current;
        boolean written = false;
        synchronized (objects) {
            current = objects.get(key);
            if (current != null && (expected.isEmpty()
                    || expected.equals(current.path("metadata").path("resourceVersion").asString()))) {
                meta.put("resourceVersion", Long.toString(version.incrementAndGet()));
                objects.put(key, o);
                written = true;
            }
        }
        if (current == null) {
            reply(ex, 404, status(404, "NotFound", key + " not found"));
        } else if (!written) {
            reply(ex, 409, status(409, "Conflict", "the object has been modified"));
        } else {
            reply(ex, 200, o);
            changed(key, "MODIFIED", o);
        }
    }

    private void delete(HttpExchange ex, String key, byte[] body) throws IOException {
        String expected = body.length == 0 ? ""
                : JSON.readTree(body).path("preconditions").path("resourceVersion").asString("");
        ObjectNode gone;
        synchronized (objects) {
            gone = objects.get(key);
            if (gone != null && (expected.isEmpty()
                    || expected.equals(gone.path("metadata").path("resourceVersion").asString()))) {
                objects.remove(key);
            } else if (gone != null) {
                reply(ex, 409, status(409, "Conflict", "precondition failed"));
                return;
            }
        }
        if (gone == null) {
            reply(ex, 404, status(404, "NotFound", key + " not found"));
            return;
        }
        reply(ex, 200, gone);
        changed(key, "DELETED", gone);
    }

    private void list(HttpExchange ex, String collection) throws IOException {
        ObjectNode list = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "List");
        list.putObject("metadata").put("resourceVersion", Long.toString(version.get()));
        var items = list.putArray("items");
        objects.forEach((k, o) -> {
            if (k.startsWith(collection + "/")) {
                items.add(o);
            }
        });
        reply(ex, 200, list);
    }

    /** Streams the changes of the one object a {@code fieldSelector=metadata.name=<name>} names, until closed. */
    private void watch(HttpExchange ex, String collection, String query) throws IOException {
        String name = "";
        for (String param : query.split("&")) {
            String decoded = java.net.URLDecoder.decode(param, StandardCharsets.UTF_8);
            if (decoded.startsWith("fieldSelector=metadata.name=")) {
                name = decoded.substring("fieldSelector=metadata.name=".length());
            }
        }
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        out.flush();
        watches.computeIfAbsent(collection + "/" + name, k -> new CopyOnWriteArrayList<>()).add(out);
    }

    private void changed(String key, String type, ObjectNode o) {
        List<OutputStream> open = watches.get(key);
        if (open == null) {
            return;
        }
        byte[] event = (JSON.createObjectNode().put("type", type).set("object", o) + "\n").getBytes(StandardCharsets.UTF_8);
        for (OutputStream out : open) {
            synchronized (out) {
                try {
                    out.write(event);
                    out.flush();
                } catch (IOException e) {
                    open.remove(out); // the watcher went away
                }
            }
        }
    }

    private static JsonNode status(int code, String reason, String message) {
        ObjectNode s = JSON.createObjectNode().put("kind", "Status").put("apiVersion", "v1");
        s.putObject("metadata");
        return s.put("status", "Failure").put("message", message).put("reason", reason).put("code", code);
    }

    private static void reply(HttpExchange ex, int code, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        watches.values().forEach(list -> list.forEach(out -> {
            try {
                out.close();
            } catch (IOException e) {
                // the watcher went away first
            }
        }));
        server.stop(0);
        threads.shutdownNow();
    }
}
