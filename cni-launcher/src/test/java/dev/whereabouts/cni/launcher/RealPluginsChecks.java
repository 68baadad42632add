package dev.whereabouts.cni.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * End to end with Debian's real {@code bridge} and {@code macvlan} plugins delegating to our binary,
 * in network namespaces the test creates: addresses land in the pods, pods reach each other, DEL
 * empties the store. Needs root.
 */
abstract class RealPluginsChecks {

    abstract boolean withDaemon();

    /** Runs a real CNI plugin inside {@code hostNs} so that bridges and masters stay out of the host. */
    private static Plugin.Run cni(String hostNs, String plugin, String command, String podNs, String id,
            Path pluginDir, String config) throws Exception {
        var env = Plugin.env(command, id);
        env.put("CNI_NETNS", "/run/netns/" + podNs);
        env.put("CNI_PATH", pluginDir + ":/usr/lib/cni");
        var pb = Plugin.builder(List.of("ip", "netns", "exec", hostNs, "/usr/lib/cni/" + plugin), env);
        return Plugin.exec(pb, config);
    }

    private void twoPods(String plugin, String extra, String range) throws Exception {
        Path dir = Files.createTempDirectory("wa-e2e");
        Path pluginDir = Files.createDirectories(dir.resolve("bin"));
        Files.createSymbolicLink(pluginDir.resolve("whereabouts"), Plugin.BIN.toAbsolutePath());
        Path data = dir.resolve("data");
        Path socket = dir.resolve("run/d.sock");
        String config = """
                {"cniVersion":"1.0.0","name":"wa-e2e","type":"%s",%s
                 "ipam":{"type":"whereabouts","datastore":"file","daemon_socket":"%s",
                         "file":{"data_dir":"%s"},"attachments_dir":"%s","range":"%s"}}
                """.formatted(plugin, extra, socket, data, dir.resolve("attachments"), range);
        try (var netns = new Netns()) {
            String host = netns.create("host");
            // the daemon shares the plugin's namespace, so the shell client's loopback path is used
            try (var daemon = withDaemon() ? new Plugin.Daemon(socket, List.of("ip", "netns", "exec", host)) : null) {
                run(netns, host, plugin, pluginDir, config, data);
            }
        }
    }

    private void run(Netns netns, String host, String plugin, Path pluginDir, String config, Path data)
            throws Exception {
        // macvlan needs a master link; a veth stands in for a NIC (no dummy driver in containers)
        Netns.sh("ip", "-n", host, "link", "add", "waMaster", "type", "veth", "peer", "name", "waPeer");
        Netns.sh("ip", "-n", host, "link", "set", "waMaster", "up");
        Netns.sh("ip", "-n", host, "link", "set", "waPeer", "up");
        String a = netns.create("a");
        String b = netns.create("b");
        var addA = cni(host, plugin, "ADD", a, "pod-a", pluginDir, config);
        var addB = cni(host, plugin, "ADD", b, "pod-b", pluginDir, config);
        assertEquals(0, addA.exit(), addA.toString());
        assertEquals(0, addB.exit(), addB.toString());
        String ipA = address(addA.stdout());
        String ipB = address(addB.stdout());
        assertNotEquals(ipA, ipB);
        assertTrue(Netns.sh("ip", "-n", a, "addr", "show", "eth0").contains(ipA + "/"), ipA);
        assertTrue(Netns.sh("ip", "-n", b, "addr", "show", "eth0").contains(ipB + "/"), ipB);
        Netns.sh("ip", "netns", "exec", a, "ping", "-c1", "-W2", ipB);
        assertEquals(2, StoreView.allocations(data).size());
        for (var pod : Map.of(a, "pod-a", b, "pod-b").entrySet()) {
            var del = cni(host, plugin, "DEL", pod.getKey(), pod.getValue(), pluginDir, config);
            assertEquals(0, del.exit(), del.toString());
            assertEquals("", del.stdout());
        }
        assertEquals(Map.of(), StoreView.allocations(data), "DEL empties the store");
    }

    private static String address(String result) {
        String cidr = JsonMapper.shared().readTree(result).path("ips").get(0).path("address").stringValue();
        return cidr.substring(0, cidr.indexOf('/'));
    }

    @Test
    void bridgePodsGetDistinctAddressesAndReachEachOther() throws Exception {
        String bridge = "wabr" + Netns.suffix();
        twoPods("bridge", "\"bridge\":\"" + bridge + "\",\"isGateway\":true,", "10.77.0.0/24");
    }

    @Test
    void macvlanPodsGetDistinctAddressesAndReachEachOther() throws Exception {
        twoPods("macvlan", "\"master\":\"waMaster\",\"mode\":\"bridge\",", "10.78.0.0/24");
    }
}
