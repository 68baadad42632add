package dev.whereabouts.bench.burst;

import dev.whereabouts.bench.load.EtcdServer;
import dev.whereabouts.ipam.spi.StoreConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real etcd started for the burst. Requests are etcd's own gRPC counters
 * ({@code grpc_server_handled_total}, by service and method) from {@code /metrics}; {@code revision}
 * counts committed writes (every write transaction bumps it by one).
 */
public final class EtcdClusterStore implements ClusterStore {

    private static final String PREFIX = "/burst";
    private static final Pattern HANDLED = Pattern.compile(
            "^grpc_server_handled_total\\{[^}]*grpc_method=\"(\\w+)\",grpc_service=\"etcdserverpb\\.(\\w+)\"[^}]*} (\\S+)$");
    private static final Pattern REVISION = Pattern.compile("^etcd_debugging_mvcc_current_revision (\\S+)$");
    private static final Pattern KEY = Pattern.compile("\"key\":\"([^\"]*)\"");
    private static final Pattern VALUE = Pattern.compile("\"value\":\"([^\"]*)\"");

    private final EtcdServer server;

    /** Starts etcd with its data directory under {@code parent}. */
    public EtcdClusterStore(Path parent) {
        server = new EtcdServer(parent);
    }

    @Override
    public String name() {
        return "etcd";
    }

    @Override
    public String ipamFields(boolean watchPools) {
        return "\"datastore\":\"etcd\",\"etcd_host\":\"%s\",\"etcd_prefix\":\"%s\"".formatted(server.endpoint(), PREFIX)
                + (watchPools ? ",\"etcd_watch_pools\":true" : "");
    }

    @Override
    public StoreConfig storeConfig() {
        return new StoreConfig(Map.of("etcd_host", server.endpoint(), "etcd_prefix", PREFIX, "etcd_timeout_ms", 30_000));
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> counts = new TreeMap<>();
        long total = 0;
        for (String line : server.metrics().split("\n")) {
            Matcher m = HANDLED.matcher(line);
            if (m.matches() && !m.group(2).equals("Maintenance")) {
                long n = (long) Double.parseDouble(m.group(3));
                if (n > 0) {
                    counts.merge(m.group(1), n, Long::sum);
                    total += n;
                }
            }
            Matcher r = REVISION.matcher(line);
            if (r.matches()) {
                counts.put("revision", (long) Double.parseDouble(r.group(1)));
            }
        }
        counts.put("requests", total);
        return counts;
    }

    /**
     * The SPI's view under our prefix, plus every key or value elsewhere in etcd that still names an
     * address handed out: another plugin (upstream) keeps its own layout, which the SPI cannot read.
     */
    @Override
    public List<String> leftovers(Collection<String> handedOut) {
        List<String> left = new ArrayList<>(ClusterStore.super.leftovers(handedOut));
        for (String[] kv : allKeyValues()) {
            if (kv[0].startsWith(PREFIX + "/")) {
                continue; // ours: the SPI above has read them
            }
            for (String ip : handedOut) {
                Pattern exact = Pattern.compile("(?<![\\d.])" + Pattern.quote(ip) + "(?![\\d])");
                if (exact.matcher(kv[0]).find() || exact.matcher(kv[1]).find()) {
                    left.add("etcd key " + kv[0] + " still names " + ip + " " + kv[1].replace('\n', ' '));
                }
            }
        }
        return left;
    }

    @Override
    public void close() {
        server.close();
    }

    /** Every key and value, decoded, through etcd's JSON gateway ({@code /v3/kv/range} over the whole key space). */
    private List<String[]> allKeyValues() {
        String all = Base64.getEncoder().encodeToString(new byte[] {0});
        String body = "{\"key\":\"%s\",\"range_end\":\"%s\"}".formatted(all, all);
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://" + server.endpoint() + "/v3/kv/range"))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            List<String[]> out = new ArrayList<>();
            // One JSON object per key, no nesting: its value (absent when empty) ends before the next '}'.
            String json = response.body();
            Matcher m = KEY.matcher(json);
            while (m.find()) {
                int end = json.indexOf('}', m.end());
                Matcher v = VALUE.matcher(json.substring(m.end(), end < 0 ? json.length() : end));
                out.add(new String[] {decode(m.group(1)), v.find() ? decode(v.group(1)) : ""});
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    @Override
    public java.util.OptionalLong serverPid() {
        return server.pid();
    }
}
