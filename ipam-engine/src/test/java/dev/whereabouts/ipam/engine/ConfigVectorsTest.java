package dev.whereabouts.ipam.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.engine.config.ConfigLoader;
import dev.whereabouts.ipam.engine.config.Json;
import dev.whereabouts.ipam.engine.config.NetworkConfig;
import dev.whereabouts.ipam.engine.config.RangeConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Upstream's configuration vectors ({@code config.json}) and log levels ({@code logging.json}), data driven. */
class ConfigVectorsTest {

    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> configVectors() {
        List<Map<String, Object>> all = new ArrayList<>(Vectors.cases("config.json", "cases"));
        all.addAll(Vectors.cases("config.json", "derivedCases"));
        return all.stream().map(c -> DynamicTest.dynamicTest((String) c.get("name"), () -> run(c)));
    }

    @SuppressWarnings("unchecked")
    private void run(Map<String, Object> c) throws IOException {
        Map<String, Object> in = Vectors.map(c, "input");
        Map<String, Object> expect = Vectors.map(c, "expect");
        Path dir = Files.createTempDirectory(tmp, "case");
        Path flatPath = dir.resolve("whereabouts.conf");
        byte[] stdin;
        if (in.containsKey("stdinRaw")) {
            stdin = ((String) in.get("stdinRaw")).getBytes(StandardCharsets.UTF_8);
        } else {
            Map<String, Object> doc = in.containsKey("stdin") ? new LinkedHashMap<>(Vectors.map(in, "stdin"))
                    : new LinkedHashMap<>(Map.of("cniVersion", "0.3.1", "name", "mynet"));
            Map<String, Object> ipam = new LinkedHashMap<>(doc.containsKey("ipam") ? Vectors.map(doc, "ipam")
                    : in.containsKey("ipam") ? Vectors.map(in, "ipam") : Map.of());
            ipam.putIfAbsent("type", "whereabouts");
            if (ipam.containsKey("configuration_path")) {
                ipam.put("configuration_path", flatPath.toString());
            }
            doc.put("ipam", ipam);
            stdin = Json.write(doc).getBytes(StandardCharsets.UTF_8);
            Object flat = in.get("flatFile");
            if (flat instanceof Map<?, ?> m) {
                Files.writeString(flatPath, Json.write(m));
            } else if (flat instanceof String) {
                Files.write(flatPath, stdin);
            }
        }
        ConfigLoader loader = new ConfigLoader(List.of(flatPath));
        String cniArgs = (String) in.getOrDefault("cniArgs", "");
        if (expect.containsKey("error") || expect.containsKey("errorPrefix")) {
            IpamException e = assertThrows(IpamException.class, () -> loader.load(stdin, cniArgs, Map.of()));
            String want = (String) expect.getOrDefault("error", expect.get("errorPrefix"));
            // Go's JSON error text differs from Jackson's; the prefix up to the parser's own words must match.
            int goText = want.indexOf("JSON Parsing Error: ");
            String prefix = goText >= 0 ? want.substring(0, goText + "JSON Parsing Error: ".length()) : want;
            assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
            if (expect.containsKey("error")) {
                assertEquals(want, e.getMessage());
            }
            return;
        }
        NetworkConfig n = loader.load(stdin, cniArgs, Map.of());
        if (expect.containsKey("logLevel")) {
            assertEquals(expect.get("logLevel"), n.ipam().logLevel().label());
        }
        if (expect.containsKey("logFile")) {
            assertEquals(Optional.of(Path.of((String) expect.get("logFile"))), n.ipam().logFile());
        }
        if (expect.containsKey("gateway")) {
            assertEquals(expect.get("gateway"), n.ipam().gateway().orElseThrow().toString());
        }
        if (expect.containsKey("kubeconfig")) {
            assertEquals(Optional.of(expect.get("kubeconfig")), n.ipam().kubeconfig());
        }
        if (expect.containsKey("overlappingRanges")) {
            assertEquals(expect.get("overlappingRanges"), n.ipam().overlappingRanges());
        }
        if (expect.containsKey("reconcilerCronExpression")) {
            assertEquals(expect.get("reconcilerCronExpression"), n.ipam().reconcilerCronExpression());
        }
        // leaderLeaseDuration, leaderRenewDeadline, leaderRetryPeriod: upstream's values are accepted
        // and ignored (no Lease on the ADD path), so loading without an error is all there is to check.
        if (expect.containsKey("ipRanges")) {
            List<Object> want = Vectors.list(expect, "ipRanges");
            assertEquals(want.size(), n.ipam().ranges().size());
            for (int i = 0; i < want.size(); i++) {
                Map<String, Object> w = (Map<String, Object>) want.get(i);
                RangeConfig got = n.ipam().ranges().get(i);
                assertEquals(w.get("range"), got.range().toString());
                if (w.containsKey("rangeStart")) {
                    assertEquals(w.get("rangeStart"), got.start().orElseThrow().toString());
                }
                assertEquals(Optional.ofNullable(w.get("rangeEnd")), got.end().map(Object::toString));
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> logLevelVectors() {
        return Vectors.cases("logging.json", "cases").stream()
                .filter(c -> c.get("input") instanceof List<?>)
                .map(c -> DynamicTest.dynamicTest(String.valueOf(Vectors.map(c, "source").get("test")), () -> {
                    List<Object> inputs = Vectors.list(c, "input");
                    for (int i = 0; i < inputs.size(); i++) {
                        String level = new ConfigLoader(List.of()).load(ConfigLoaderTest.net("\"log_level\":\"" + inputs.get(i) + "\"")
                                .getBytes(StandardCharsets.UTF_8), "", Map.of()).ipam().logLevel().label();
                        String want = c.get("expect") instanceof List<?> l ? (String) l.get(i) : "debug";
                        assertEquals(want, level);
                    }
                }));
    }
}
