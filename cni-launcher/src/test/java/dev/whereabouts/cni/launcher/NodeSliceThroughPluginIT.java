package dev.whereabouts.cni.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Node-slice mode from a fresh install, through the shipped binary on fabric8's mock API server: the
 * NAD and the nodes exist, nothing else; {@code whereabouts controller node-slices} creates the
 * NodeSlicePool, and an ADD on each node, new ones included, gets an address of that node's slice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeSliceThroughPluginIT {

    static final String NS = "kube-system";
    static final String SLICE_POOL = "sliced";

    KubernetesMockServer server;
    NamespacedKubernetesClient admin;
    Path dir;
    Path flatFile;

    @BeforeAll
    void cluster() throws Exception {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(List.of()), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        admin = server.createClient();
        WhereaboutsCrds.install(admin);
        admin.apiextensions().v1().customResourceDefinitions().resource(new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName("network-attachment-definitions.k8s.cni.cncf.io").endMetadata()
                .withNewSpec().withGroup("k8s.cni.cncf.io").withScope("Namespaced").withNewNames()
                .withKind("NetworkAttachmentDefinition").withPlural("network-attachment-definitions").endNames()
                .addNewVersion().withName("v1").withServed(true).withStorage(true).endVersion().endSpec().build()).create();
        dir = Files.createTempDirectory("wa-slices");
        Path kubeconfig = dir.resolve("whereabouts.kubeconfig");
        io.fabric8.kubernetes.api.model.Config config = new io.fabric8.kubernetes.api.model.ConfigBuilder()
                .withApiVersion("v1").withKind("Config")
                .addNewCluster().withName("mock").withNewCluster().withServer(admin.getConfiguration().getMasterUrl())
                .endCluster().endCluster()
                .addNewUser().withName("plugin").withNewUser().withToken("t").endUser().endUser()
                .addNewContext().withName("mock").withNewContext().withCluster("mock").withUser("plugin")
                .withNamespace(NS).endContext().endContext().withCurrentContext("mock").build();
        Files.writeString(kubeconfig, admin.getKubernetesSerialization().asYaml(config));
        flatFile = dir.resolve("whereabouts.conf");
        Files.writeString(flatFile, "{\"datastore\":\"kubernetes\",\"kubernetes\":{\"kubeconfig\":\"" + kubeconfig + "\"}}");
    }

    @AfterAll
    void stop() {
        admin.close();
        server.destroy();
    }

    String cniConfig() {
        return """
                {"cniVersion":"1.0.0","name":"%s","type":"macvlan",
                 "ipam":{"type":"whereabouts","datastore":"kubernetes","kubernetes":{"kubeconfig":"%s"},
                         "daemon_socket":"%s","attachments_dir":"%s","range":"10.50.0.0/24",
                         "node_slice_size":"/26","log_level":"error"}}
                """.formatted(SLICE_POOL, dir.resolve("whereabouts.kubeconfig"), dir.resolve("none/d.sock"),
                dir.resolve("attachments"));
    }

    void node(String name) {
        admin.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    }

    String sliceOf(String node) {
        GenericKubernetesResource pool = admin.genericKubernetesResources("whereabouts.cni.cncf.io/v1alpha1", "NodeSlicePool")
                .inNamespace(NS).withName(SLICE_POOL).get();
        if (pool == null || !(pool.getAdditionalProperties().get("status") instanceof Map<?, ?> status)
                || !(status.get("allocations") instanceof List<?> slots)) {
            return null;
        }
        return slots.stream().map(o -> (Map<?, ?>) o).filter(m -> node.equals(m.get("nodeName")))
                .map(m -> (String) m.get("sliceRange")).findFirst().orElse(null);
    }

    String awaitSlice(String node) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            String s = sliceOf(node);
            if (s != null) {
                return s;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no slice for " + node);
    }

    Plugin.Run add(String node, String container) throws Exception {
        Map<String, String> env = Plugin.env("ADD", container);
        env.put("NODENAME", node);
        return Plugin.run(env, cniConfig());
    }

    static String address(Plugin.Run run) {
        Matcher m = Pattern.compile("\"address\"\\s*:\\s*\"([0-9.]+)/").matcher(run.stdout());
        assertTrue(m.find(), run.toString());
        return m.group(1);
    }

    static boolean inSlice(String ip, String slice) {
        String[] parts = slice.split("/");
        long base = toLong(parts[0]);
        long size = 1L << (32 - Integer.parseInt(parts[1]));
        long v = toLong(ip);
        return v >= base && v < base + size;
    }

    static long toLong(String ip) {
        long v = 0;
        for (String b : ip.split("\\.")) {
            v = v << 8 | Integer.parseInt(b);
        }
        return v;
    }

    @Test
    void aFreshClusterGetsSlicesFromTheControllerAndAddsUseThem() throws Exception {
        node("node-x");
        GenericKubernetesResource nad = new GenericKubernetesResource();
        nad.setApiVersion("k8s.cni.cncf.io/v1");
        nad.setKind("NetworkAttachmentDefinition");
        nad.setMetadata(new ObjectMetaBuilder().withNamespace(NS).withName("sliced-nad").build());
        nad.setAdditionalProperty("spec", Map.of("config", cniConfig()));
        admin.genericKubernetesResources("k8s.cni.cncf.io/v1", "NetworkAttachmentDefinition").inNamespace(NS)
                .resource(nad).create();

        Plugin.Run before = add("node-x", "early");
        assertTrue(before.exit() != 0 && before.stdout().contains("no allocated node slice"),
                "without the controller nothing slices the range: " + before);

        Map<String, String> env = new HashMap<>(Map.of("WHEREABOUTS_NAMESPACE", NS, "POD_NAME", "it-controller",
                "WHEREABOUTS_LOG_LEVEL", "error"));
        Process controller = Plugin.builder(List.of(Plugin.BIN.toString(), "controller", "node-slices",
                "--flat-file", flatFile.toString()), env).redirectErrorStream(true)
                .redirectOutput(dir.resolve("controller.log").toFile()).start();
        try {
            String sliceX = awaitSlice("node-x");
            Plugin.Run first = add("node-x", "x1");
            assertEquals(0, first.exit(), first.toString());
            assertTrue(inSlice(address(first), sliceX), address(first) + " in " + sliceX);

            node("node-y");
            String sliceY = awaitSlice("node-y");
            assertTrue(!sliceY.equals(sliceX), "a slice of its own");
            Plugin.Run second = add("node-y", "y1");
            assertEquals(0, second.exit(), second.toString());
            assertTrue(inSlice(address(second), sliceY), address(second) + " in " + sliceY);
            assertTrue(controller.isAlive(), Files.readString(dir.resolve("controller.log")));
        } finally {
            controller.destroy();
            assertTrue(controller.waitFor(30, TimeUnit.SECONDS));
        }
        int exit = controller.exitValue();
        assertTrue(exit == 0 || exit == 143, "stopped by SIGTERM: " + exit + " " + Files.readString(dir.resolve("controller.log")));
    }

    @Test
    void thePodControllerRefusesANodeNameThatIsNoNode() throws Exception {
        var run = Plugin.run(Map.of("NODENAME", "no-such-node", "WHEREABOUTS_NAMESPACE", NS), "", "controller", "pods",
                "--flat-file", flatFile.toString());
        assertEquals(1, run.exit(), run.toString());
        assertTrue(run.stderr().contains("no-such-node"), run.stderr());
    }
}
