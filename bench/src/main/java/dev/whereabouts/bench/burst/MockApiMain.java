package dev.whereabouts.bench.burst;

import dev.whereabouts.bench.load.MockApiServer;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The burst's mock API server as its own process, so that its CPU and heap are not the harness's
 * and the plugin processes reach it over loopback like a real API server.
 *
 * <p>Protocol on stdin/stdout, one line each: it prints {@code port N} once ready; {@code counts}
 * answers {@code KEY=VALUE ...} with requests served by method ({@code GET=12}) and by status
 * ({@code 409=3}, the optimistic-concurrency conflicts); end of stdin stops it.
 */
public final class MockApiMain {

    private MockApiMain() {
    }

    /** Counts every request and its answer's status, then lets the CRUD dispatcher answer. */
    static final class CountingCrudDispatcher extends KubernetesCrudDispatcher {
        private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

        CountingCrudDispatcher() {
            super(List.of());
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            MockResponse response = super.dispatch(request);
            counts.computeIfAbsent("requests", k -> new LongAdder()).increment();
            counts.computeIfAbsent(request.getMethod(), k -> new LongAdder()).increment();
            counts.computeIfAbsent(Integer.toString(response.code()), k -> new LongAdder()).increment();
            counts.computeIfAbsent(request.getMethod() + "." + resourceOf(request.getPath()), k -> new LongAdder())
                    .increment();
            return response;
        }

        /** The resource a path names ({@code ippools}, {@code leases}, …), so that a count says which objects cost requests. */
        static String resourceOf(String path) {
            String[] parts = path.split("\\?", 2)[0].split("/");
            for (int i = 0; i + 2 < parts.length; i++) {
                if (parts[i].equals("namespaces")) {
                    return parts[i + 2];
                }
            }
            return parts.length == 0 ? "?" : parts[parts.length - 1];
        }

        String snapshot() {
            Map<String, Long> sorted = new TreeMap<>();
            counts.forEach((k, v) -> sorted.put(k, v.sum()));
            StringBuilder sb = new StringBuilder();
            sorted.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : " ").append(k).append('=').append(v));
            return sb.toString();
        }
    }

    /** Serves until stdin closes. */
    public static void main(String[] args) throws Exception {
        // MockWebServer logs every request at INFO through java.util.logging: at a thousand calls
        // that is the mock's own CPU spent on a log nobody reads, taken from the plugins it serves.
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        var dispatcher = new CountingCrudDispatcher();
        try (var server = new MockApiServer(dispatcher)) {
            System.out.println("port " + server.port());
            System.out.flush();
            var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                if (line.strip().equals("counts")) {
                    System.out.println(dispatcher.snapshot());
                    System.out.flush();
                }
            }
        }
        // fabric8 leaves non-daemon Vert.x threads behind; the process has nothing more to do.
        System.exit(0);
    }
}
