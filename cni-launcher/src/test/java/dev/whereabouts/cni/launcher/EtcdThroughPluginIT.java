package dev.whereabouts.cni.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The etcd store through the shipped module path (jetcd, gRPC, Netty, Guava as modules) against a
 * real Debian etcd on loopback, with the daemon and in-process.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EtcdThroughPluginIT {

    Path dir;
    Process etcd;
    int port;

    static int freePort() throws Exception {
        try (var s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @BeforeAll
    void startEtcd() throws Exception {
        dir = Files.createTempDirectory("wa-etcd");
        port = freePort();
        int peer = freePort();
        String client = "http://127.0.0.1:" + port;
        String peers = "http://127.0.0.1:" + peer;
        var pb = Plugin.builder(List.of("etcd", "--data-dir", dir.resolve("etcd").toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peers, "--initial-advertise-peer-urls", peers,
                "--initial-cluster", "default=" + peers), Map.of());
        etcd = pb.redirectErrorStream(true).redirectOutput(dir.resolve("etcd.log").toFile()).start();
        for (int i = 0; i < 200; i++) {
            try (var s = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (java.io.IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("etcd did not start: " + Files.readString(dir.resolve("etcd.log")));
    }

    @AfterAll
    void stopEtcd() throws Exception {
        etcd.destroy();
        etcd.waitFor(30, TimeUnit.SECONDS);
    }

    @ParameterizedTest(name = "daemon={0}")
    @ValueSource(booleans = {true, false})
    void addAndDelOnEtcd(boolean withDaemon) throws Exception {
        Path socket = dir.resolve(withDaemon ? "run/d.sock" : "none/d.sock");
        String config = """
                {"cniVersion":"1.0.0","name":"wa-etcd","ipam":{"type":"whereabouts","datastore":"etcd",
                 "etcd_host":"127.0.0.1:%d","etcd_prefix":"/wa-%s","daemon_socket":"%s",
                 "attachments_dir":"%s","range":"10.33.0.0/24","log_level":"error"}}
                """.formatted(port, withDaemon, socket, dir.resolve("attachments"));
        try (var daemon = withDaemon ? new Plugin.Daemon(socket) : null) {
            var first = Plugin.run(Plugin.env("ADD", "e1"), config);
            var second = Plugin.run(Plugin.env("ADD", "e2"), config);
            assertEquals(0, first.exit(), first.toString());
            assertEquals(0, second.exit(), second.toString());
            assertTrue(first.stdout().contains("10.33.0.1/24"), first.stdout());
            assertTrue(second.stdout().contains("10.33.0.2/24"), second.stdout());
            var del = Plugin.run(Plugin.env("DEL", "e1"), config);
            assertEquals(new Plugin.Run(0, "", del.stderr()), del);
            var reuse = Plugin.run(Plugin.env("ADD", "e3"), config);
            assertTrue(reuse.stdout().contains("10.33.0.1/24"), "released address is reused: " + reuse);
        }
    }

    @Test
    void theOperatorCliSeesAndReleasesEtcdAllocations() throws Exception {
        String ipam = """
                "datastore":"etcd","etcd_host":"127.0.0.1:%d","etcd_prefix":"/wa-ctl"
                """.formatted(port).strip();
        String config = """
                {"cniVersion":"1.1.0","name":"wa-ctl","ipam":{"type":"whereabouts",%s,
                 "daemon_socket":"%s","attachments_dir":"%s","range":"10.34.0.0/24","log_level":"error"}}
                """.formatted(ipam, dir.resolve("none/d.sock"), dir.resolve("attachments"));
        assertEquals(0, Plugin.run(Plugin.env("ADD", "ctl1"), config).exit());
        Path flat = dir.resolve("ctl.conf");
        Files.writeString(flat, "{" + ipam + "}");

        var pools = Plugin.run(Map.of(), "", "ctl", "--config", flat.toString(), "pools");
        assertEquals(0, pools.exit(), pools.toString());
        assertEquals(List.of("NAME          RANGE         NETWORK  NODE  SIZE  USED  FREE",
                "10.34.0.0-24  10.34.0.0/24  -        -     254   1     253"), pools.stdout().lines().toList());
        assertEquals("", pools.stderr());

        var refused = Plugin.run(Map.of(), "", "ctl", "--config", flat.toString(), "release", "--ip", "10.34.0.1");
        assertEquals(2, refused.exit(), "a release needs --yes: " + refused);
        var release = Plugin.run(Map.of(), "", "ctl", "--config", flat.toString(), "release", "--ip", "10.34.0.1", "--yes");
        assertEquals(0, release.exit(), release.toString());
        var who = Plugin.run(Map.of(), "", "ctl", "--config", flat.toString(), "-o", "json", "who", "10.34.0.1");
        assertEquals(1, who.exit(), "nobody holds it any more: " + who);
        var add = Plugin.run(Plugin.env("ADD", "ctl2"), config);
        assertTrue(add.stdout().contains("10.34.0.1/24"), "the released address is handed out again: " + add);
    }
}
