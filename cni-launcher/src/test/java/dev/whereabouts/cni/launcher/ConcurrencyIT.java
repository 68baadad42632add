package dev.whereabouts.cni.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.whereabouts.cni.launcher.daemon.JitWarmup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * 32 plugin processes at once on one pool get 32 distinct addresses, and the store holds exactly
 * those. The daemon here runs its start-up warm-up, as shipped: the calls meet it mid-way.
 */
class ConcurrencyIT {

    @ParameterizedTest(name = "daemon={0}")
    @ValueSource(booleans = {true, false})
    void thirtyTwoConcurrentAddsGetDistinctAddresses(boolean withDaemon) throws Exception {
        Path dir = Files.createTempDirectory("wa-conc");
        Path data = dir.resolve("data");
        Path socket = dir.resolve("run/d.sock");
        String config = Plugin.config("1.0.0", data, socket, "10.55.0.0/24");
        try (var daemon = withDaemon ? new Plugin.Daemon(socket, List.of(), List.of("--warmup",
                Integer.toString(JitWarmup.DEFAULT_CYCLES)), java.util.Map.of()) : null;
                var pool = Executors.newFixedThreadPool(32)) {
            List<Future<Plugin.Run>> runs = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                String id = "conc" + i;
                runs.add(pool.submit(() -> Plugin.run(Plugin.env("ADD", id), config)));
            }
            Set<String> addresses = new HashSet<>();
            for (var f : runs) {
                var run = f.get();
                assertEquals(0, run.exit(), run.toString());
                String cidr = JsonMapper.shared().readTree(run.stdout()).path("ips").get(0).path("address")
                        .stringValue();
                addresses.add(cidr.substring(0, cidr.indexOf('/')));
            }
            assertEquals(32, addresses.size(), "distinct addresses: " + addresses);
            Set<String> stored = new HashSet<>();
            StoreView.allocations(data).keySet().forEach(ip -> stored.add(ip.toString()));
            assertEquals(addresses, stored);
        }
    }
}
