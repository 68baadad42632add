package dev.whereabouts.ipam.engine;

import dev.whereabouts.ipam.engine.config.ConfigLoader;
import dev.whereabouts.ipam.engine.config.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds network configurations for tests: a whereabouts ipam section on the test-memory store. */
final class Conf {

    final Map<String, Object> top = new LinkedHashMap<>();
    final Map<String, Object> ipam = new LinkedHashMap<>();

    private Conf(String backend, Path attachments) {
        top.put("cniVersion", "1.1.0");
        top.put("name", "net1");
        top.put("type", "macvlan");
        top.put("ipam", ipam);
        ipam.put("type", "whereabouts");
        ipam.put("datastore", "test-memory");
        ipam.put("test", Map.of("backend", backend));
        ipam.put("attachments_dir", attachments.toString());
    }

    static Conf on(String backend, Path attachments) {
        return new Conf(backend, attachments);
    }

    Conf ipam(String key, Object value) {
        ipam.put(key, value);
        return this;
    }

    Conf top(String key, Object value) {
        top.put(key, value);
        return this;
    }

    Conf range(String... ranges) {
        ipam.put("range", ranges[0]);
        if (ranges.length > 1) {
            ipam.put("ipRanges", java.util.Arrays.stream(ranges).skip(1).map(r -> Map.of("range", r)).toList());
        }
        return this;
    }

    Conf ipRanges(List<Map<String, Object>> entries) {
        ipam.put("ipRanges", entries);
        return this;
    }

    byte[] bytes() {
        return Json.write(top).getBytes(StandardCharsets.UTF_8);
    }

    /** An engine over the test providers that never reads the host's flat files. */
    static Ipam engine() {
        return new Ipam(List.of(new TestStoreProvider()), new ConfigLoader(List.of()));
    }

    static IpamConfig load(Ipam ipam, Conf conf) {
        return ipam.load(conf.bytes(), "IgnoreUnknown=1", Map.of());
    }
}
