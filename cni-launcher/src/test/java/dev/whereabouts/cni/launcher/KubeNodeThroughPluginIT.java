package dev.whereabouts.cni.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * kube-node's and node-annotation's configurations, unchanged, through the shipped binary installed
 * under their names, against Node objects on fabric8's mock API server (CRUD mode); and a data
 * directory that Debian's real host-local filled, taken over without a duplicate.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubeNodeThroughPluginIT {

    static final Path HOST_LOCAL = Path.of("/usr/lib/cni/host-local");
    static final String NET3 = "example.com/net3";
    static final String BRIDGE = "example.com/bridge";

    /** Network names carry it: the journal lives in the node-wide default directory. */
    final String run = UUID.randomUUID().toString().substring(0, 6);
    KubernetesMockServer server;
    Path dir;
    Path kubeconfig;
    Path bin;

    @BeforeAll
    void start() throws Exception {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(List.of()), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        dir = Files.createTempDirectory("wa-kube-node");
        kubeconfig = Files.writeString(dir.resolve("kubeconfig"), """
                {"apiVersion": "v1", "kind": "Config", "current-context": "it",
                 "clusters": [{"name": "mock", "cluster": {"server": "http://127.0.0.1:%d"}}],
                 "users": [{"name": "it", "user": {"token": "t"}}],
                 "contexts": [{"name": "it", "context": {"cluster": "mock", "user": "it"}}]}
                """.formatted(server.getPort()));
        try (KubernetesClient admin = server.createClient()) {
            node(admin, "vm-v4", Map.of(), "11.0.1.0/24");
            node(admin, "vm-v6", Map.of(), "1100::100/120");
            // the annotations as kube-node's and node-annotation's READMEs write them
            node(admin, "vm-ds", Map.of(NET3, "192.168.55.0/26,fd00:5::1:0/112", BRIDGE, """
                    "ranges": [
                      [{ "subnet":"4000::16.0.0.0/120", "rangeStart":"4000::16.0.0.0" , "rangeEnd":"4000::16.0.0.7"}],
                      [{ "subnet":"16.0.0.0/24", "rangeStart":"16.0.0.0" , "rangeEnd":"16.0.0.7"}]
                    ]"""), "11.0.2.0/24", "1100::200/120");
        }
        bin = Files.createDirectories(dir.resolve("bin"));
        for (String name : List.of("kube-node", "node-annotation")) {
            Files.createSymbolicLink(bin.resolve(name), Plugin.BIN.toAbsolutePath());
        }
    }

    static void node(KubernetesClient admin, String name, Map<String, String> annotations, String... podCidrs) {
        admin.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).withAnnotations(annotations)
                .endMetadata().withNewSpec().withPodCIDRs(podCidrs).withPodCIDR(podCidrs[0]).endSpec().build()).create();
    }

    @AfterAll
    void stop() throws Exception {
        server.destroy();
        var rm = new java.util.ArrayList<>(List.of("rm", "-rf", dir.toString()));
        for (String network : List.of("pods", "net3", "missing", "swap")) {
            rm.add("/var/lib/cni/whereabouts/attachments/" + network + "-" + run);
        }
        Plugin.exec(Plugin.builder(rm, Map.of()), "");
    }

    /** One call of the binary installed as {@code name}, with no daemon to forward to. */
    Plugin.Run call(String name, String command, String id, String node, String namespace, String config,
            Map<String, String> extra) throws Exception {
        Map<String, String> env = Plugin.env(command, id);
        env.put("NODENAME", node);
        env.put("KUBECONFIG", kubeconfig.toString());
        env.put("WHEREABOUTS_DAEMON_SOCKET", dir.resolve("no-daemon.sock").toString());
        env.put("CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAMESPACE=" + namespace + ";K8S_POD_NAME=p-" + id);
        env.putAll(extra);
        Path exe = name.equals("whereabouts") ? Plugin.BIN : bin.resolve(name);
        return Plugin.exec(Plugin.builder(List.of(exe.toString()), env), config);
    }

    static List<String> ips(Plugin.Run run) {
        assertEquals(0, run.exit(), run.toString());
        JsonNode result = ProtocolChecks.onlyJson(run);
        if (!result.has("ips")) { // a configuration without cniVersion is 0.1.0: ip4 and ip6 objects
            return java.util.stream.Stream.of("ip4", "ip6").filter(result::has).map(result::path)
                    .map(ip -> ip.path("ip").asString() + " gw " + ip.path("gateway").asString("-")).toList();
        }
        return result.path("ips").valueStream()
                .map(ip -> ip.path("address").asString() + " gw " + ip.path("gateway").asString("-")).toList();
    }

    /** kube-node's README configuration with this test's data directory and network name. */
    String kubeNode(String network, Path dataDir, String ipamExtra) {
        return """
                {"name": "%s", "cniVersion": "1.0.0", "isDefaultGateway": true,
                 "ipam": {"type": "kube-node", "dataDir": "%s"%s}}""".formatted(network + "-" + run, dataDir, ipamExtra);
    }

    Path data(String what) {
        return dir.resolve("data-" + what);
    }

    @Test
    void podCidrsOfEachFamilyAndDualStackWithNodeNameFromEitherVariable() throws Exception {
        assertEquals(List.of("11.0.1.2/24 gw 11.0.1.1"),
                ips(call("kube-node", "ADD", "v4", "vm-v4", "default", kubeNode("pods", data("v4"), ""), Map.of())));
        assertEquals(List.of("1100::102/120 gw 1100::101"),
                ips(call("kube-node", "ADD", "v6", "vm-v6", "default", kubeNode("pods", data("v6"), ""), Map.of())));
        assertEquals(List.of("11.0.2.2/24 gw 11.0.2.1", "1100::202/120 gw 1100::201"),
                ips(call("kube-node", "ADD", "ds", "", "default", kubeNode("pods", data("ds"), ""),
                        Map.of("NODE_NAME", "vm-ds"))));
        assertEquals(0, call("kube-node", "DEL", "ds", "", "default", kubeNode("pods", data("ds"), ""),
                Map.of("NODE_NAME", "vm-ds")).exit());
    }

    @Test
    void kubeNodesCommaAnnotationAndIpv4Namespaces() throws Exception {
        String conf = kubeNode("net3", data("net3"), ", \"annotation\": \"" + NET3
                + "\", \"ipv4-namespaces\": [\"old-application\"]");
        assertEquals(List.of("192.168.55.2/26 gw 192.168.55.1", "fd00:5::1:2/112 gw fd00:5::1:1"),
                ips(call("kube-node", "ADD", "in", "vm-ds", "old-application", conf, Map.of())));
        assertEquals(List.of("fd00:5::1:3/112 gw fd00:5::1:1"),
                ips(call("kube-node", "ADD", "out", "vm-ds", "default", conf, Map.of())));
    }

    @Test
    void nodeAnnotationsReadmeConfigWithItsOwnConfigFile() throws Exception {
        String network = "na-" + UUID.randomUUID().toString().substring(0, 8);
        Path cfg = Files.writeString(dir.resolve("nacfg"), "{\"kubeconfig\": \"" + kubeconfig + "\"}");
        String conf = """
                {"name": "%s", "type": "ipvlan", "master": "eth0",
                 "ipam": {"type": "node-annotation", "annotation": "%s"}}""".formatted(network, BRIDGE);
        Map<String, String> env = Map.of("KUBECONFIG", "", "NODE_ANNOTATION_CFG", cfg.toString());
        try {
            assertEquals(List.of("16.0.0.2/24 gw 16.0.0.1", "4000::1000:2/120 gw 4000::1000:1"),
                    ips(call("node-annotation", "ADD", "na", "vm-ds", "default", conf, env)));
            assertEquals(0, call("node-annotation", "DEL", "na", "vm-ds", "default", conf, env).exit());
        } finally {
            // node-annotation has no dataDir: host-local's default directory is where its state lives
            Plugin.exec(Plugin.builder(List.of("rm", "-rf", "/var/lib/cni/networks/" + network,
                    "/var/lib/cni/whereabouts/attachments/" + network), Map.of()), "");
        }
    }

    @Test
    void theInstallNameTravelsWithTheCallToTheNodeDaemon() throws Exception {
        Path socket = Files.createDirectories(dir.resolve("run")).resolve("daemon.sock");
        String conf = kubeNode("pods", data("daemon"), "");
        Path classes = dir.resolve("client-classes.log");
        // the JVM client logs the classes it loads: no engine class means the daemon served the call
        Map<String, String> viaDaemon = Map.of("WHEREABOUTS_DAEMON_SOCKET", socket.toString(),
                "WHEREABOUTS_CLIENT", "jvm", "WHEREABOUTS_CLIENT_OPTS", "-Xlog:class+load=info:file=" + classes);
        try (var daemon = new Plugin.Daemon(socket)) {
            assertEquals(List.of("11.0.1.2/24 gw 11.0.1.1"),
                    ips(call("kube-node", "ADD", "d1", "vm-v4", "default", conf, viaDaemon)));
            assertTrue(Files.readString(classes).lines().noneMatch(l -> l.contains(" dev.whereabouts.ipam")));
            ProtocolChecks.error(call("whereabouts", "ADD", "d2", "vm-v4", "default", conf, viaDaemon), 7);
        }
    }

    @Test
    void aMissingAnnotationIsAnErrorNamingNodeAndAnnotationNotThePodNetwork() throws Exception {
        var run = call("kube-node", "ADD", "m", "vm-v4", "default",
                kubeNode("missing", data("missing"), ", \"annotation\": \"example.com/absent\""), Map.of());
        JsonNode err = ProtocolChecks.error(run, 11);
        assertEquals("node vm-v4 has no annotation example.com/absent", err.path("msg").asString());
    }

    @Test
    void aMalformedAnnotationIsInvalidConfigNamingNodeAndAnnotationAndAllocatesNothing() throws Exception {
        try (KubernetesClient admin = server.createClient()) {
            node(admin, "vm-bad", Map.of(NET3, "10.9.0.0/33,fd00:9::/64"), "11.0.9.0/24");
        }
        var run = call("kube-node", "ADD", "x", "vm-bad", "default",
                kubeNode("malformed", data("malformed"), ", \"annotation\": \"" + NET3 + "\""), Map.of());
        JsonNode err = ProtocolChecks.error(run, 7);
        assertTrue(err.path("details").asString().contains("node vm-bad annotation " + NET3), err.toString());
        assertFalse(Files.exists(data("malformed")), "nothing written");
    }

    @Test
    void eachInstallNameServesItsOwnTypeAndBadValuesWriteNothing() throws Exception {
        ProtocolChecks.error(call("whereabouts", "ADD", "t1", "vm-v4", "default", kubeNode("t", data("t"), ""),
                Map.of()), 7);
        ProtocolChecks.error(call("node-annotation", "ADD", "t2", "vm-v4", "default", kubeNode("t", data("t"), ""),
                Map.of()), 7);
        for (String bad : List.of(", \"ipv4-namespaces\": \"old-application\"", ", \"ipv4-namespaces\": [\"Bad_NS\"]",
                ", \"annotation\": 7")) {
            ProtocolChecks.error(call("kube-node", "ADD", "b", "vm-v4", "default", kubeNode("t", data("bad"), bad),
                    Map.of()), 7);
        }
        ProtocolChecks.error(call("kube-node", "ADD", "b", "vm-v4", "default",
                kubeNode("t", Path.of("relative"), ""), Map.of()), 7);
        assertFalse(Files.exists(data("t")) || Files.exists(data("bad")), "a bad configuration wrote nothing");
    }

    @Test
    void allocationsOfTheRealHostLocalSurviveTheSwap() throws Exception {
        Path dataDir = data("swap");
        String hostLocal = """
                {"name": "swap-%s", "cniVersion": "1.0.0",
                 "ipam": {"type": "host-local", "dataDir": "%s",
                          "ranges": [[{"subnet": "11.0.2.0/24"}], [{"subnet": "1100::200/120"}]]}}""".formatted(run, dataDir);
        for (String id : List.of("hl1", "hl2")) {
            var run = Plugin.exec(Plugin.builder(List.of(HOST_LOCAL.toString()), Plugin.env("ADD", id)), hostLocal);
            assertEquals(0, run.exit(), run.toString());
        }
        Path net = dataDir.resolve("swap-" + run);
        assertTrue(Files.exists(net.resolve("11.0.2.3")), "host-local wrote its files");
        String conf = kubeNode("swap", dataDir, "");
        assertEquals(List.of("11.0.2.4/24 gw 11.0.2.1", "1100::204/120 gw 1100::201"),
                ips(call("kube-node", "ADD", "ours", "vm-ds", "default", conf, Map.of())));
        assertEquals(List.of("11.0.2.2/24 gw 11.0.2.1", "1100::202/120 gw 1100::201"),
                ips(call("kube-node", "ADD", "hl1", "vm-ds", "default", conf, Map.of())), "a re-ADD keeps its address");
        assertEquals(0, call("kube-node", "DEL", "hl1", "vm-ds", "default", conf, Map.of()).exit());
        assertFalse(Files.exists(net.resolve("11.0.2.2")) || Files.exists(net.resolve("1100::202")));
        assertEquals(0, call("kube-node", "DEL", "ours", "vm-ds", "default", conf, Map.of()).exit());
        assertEquals(List.of("11.0.2.2/24 gw 11.0.2.1", "1100::202/120 gw 1100::201"),
                ips(call("kube-node", "ADD", "next", "vm-ds", "default", conf, Map.of())), "both released");
        assertEquals(List.of("11.0.2.4/24 gw 11.0.2.1", "1100::204/120 gw 1100::201"),
                ips(call("kube-node", "ADD", "after", "vm-ds", "default", conf, Map.of())), "hl2 still holds .3");
        // host-local before CNI 0.7 wrote the container id alone; its own DEL freed such a file
        // whatever interface the DEL named, and so does ours.
        Files.writeString(net.resolve("11.0.2.9"), "hl0");
        assertEquals(List.of("11.0.2.5/24 gw 11.0.2.1", "1100::205/120 gw 1100::201"),
                ips(call("kube-node", "ADD", "beside", "vm-ds", "default", conf, Map.of())));
        assertTrue(Files.exists(net.resolve("11.0.2.9")), "an ADD leaves the old file alone");
        assertEquals(0, call("kube-node", "DEL", "hl0", "vm-ds", "default", conf, Map.of()).exit());
        assertFalse(Files.exists(net.resolve("11.0.2.9")), "the DEL of its container freed the old-format file");
    }
}
