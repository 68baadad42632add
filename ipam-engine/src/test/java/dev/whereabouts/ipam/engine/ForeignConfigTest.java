package dev.whereabouts.ipam.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.engine.config.ConfigLoader;
import dev.whereabouts.ipam.engine.config.IpamSection;
import dev.whereabouts.ipam.engine.config.NodeRangesConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kube-node's and node-annotation's ipam sections, as written, under their install names. */
class ForeignConfigTest {

    /** kube-node's README example, unchanged. */
    static final String KUBE_NODE = """
            {"name": "my-net", "cniVersion": "1.0.0", "isDefaultGateway": true,
             "ipam": {"type": "kube-node", "dataDir": "/run/container-ipam-state/my-net",
                      "annotation": "example.com/my-net-cidrs", "ipv4-namespaces": ["old-application"]}}""";

    /** node-annotation's README example, unchanged. */
    static final String NODE_ANNOTATION = """
            {"name": "mynet", "type": "ipvlan", "master": "eth0",
             "ipam": {"type": "node-annotation", "annotation": "example.com/ipvlan-ranges"}}""";

    private final ConfigLoader loader = new ConfigLoader(List.of());

    private IpamSection load(String doc, Map<String, String> env) {
        return loader.load(doc.getBytes(StandardCharsets.UTF_8), "", env).ipam();
    }

    private static Map<String, String> as(String name, String... more) {
        Map<String, String> env = new HashMap<>(Map.of("WHEREABOUTS_PLUGIN_NAME", "/opt/cni/bin/" + name));
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    @Test
    void kubeNodesReadmeConfigMapsOntoNodeRangesAndTheFileStoreInHostLocalsDirectory() {
        IpamSection s = load(KUBE_NODE, as("kube-node"));
        assertEquals("file", s.datastore());
        assertEquals(Map.of("data_dir", "/run/container-ipam-state/my-net/my-net"), s.section().get("file"));
        assertEquals(Optional.of(new NodeRangesConfig("example.com/my-net-cidrs", List.of(), true)), s.nodeRanges());
        assertEquals(Set.of("old-application"), s.ipv4Namespaces().orElseThrow().namespaces());
        assertEquals(Optional.empty(), s.kubeconfig());
    }

    @Test
    void kubeNodeDefaultsAndItsKubeconfig() {
        IpamSection s = load("""
                {"name": "default", "ipam": {"type": "kube-node", "kubeconfig": "/etc/kubernetes/kubeconfig"}}""",
                as("kube-node", "KUBECONFIG", "/other"));
        assertEquals(Map.of("data_dir", "/var/lib/cni/networks/default"), s.section().get("file"));
        assertEquals(Optional.of(new NodeRangesConfig("", List.of(), true)), s.nodeRanges());
        assertEquals(Optional.of("/etc/kubernetes/kubeconfig"), s.kubeconfig());
        assertEquals(Optional.empty(), s.ipv4Namespaces());
    }

    @Test
    void nodeAnnotationReadsItsOwnFileForTheKubeconfig(@TempDir Path dir) throws Exception {
        Path cfg = Files.writeString(dir.resolve("nacfg"), "{\"kubeconfig\": \"/etc/kubernetes/kubeconfig\", "
                + "\"nextipam\": \"/opt/cni/bin/host-local\"}");
        IpamSection s = load(NODE_ANNOTATION, as("node-annotation", "NODE_ANNOTATION_CFG", cfg.toString()));
        assertEquals(Map.of("data_dir", "/var/lib/cni/networks/mynet"), s.section().get("file"));
        assertEquals(Optional.of(new NodeRangesConfig("example.com/ipvlan-ranges", List.of(), true)), s.nodeRanges());
        assertEquals(Optional.of("/etc/kubernetes/kubeconfig"), s.kubeconfig());
        IpamSection fromEnv = load(NODE_ANNOTATION, as("node-annotation", "NODE_ANNOTATION_CFG", dir.resolve("none").toString(),
                "KUBECONFIG", "/root/.kube/config"));
        assertEquals(Optional.of("/root/.kube/config"), fromEnv.kubeconfig());
    }

    @Test
    void kubeconfigVariableIsHonouredForWhereaboutsWhenTheSectionNamesNone() {
        String doc = "{\"name\":\"n\",\"ipam\":{\"type\":\"whereabouts\",\"range\":\"10.0.0.0/24\"}}";
        assertEquals(Optional.of("/k"), load(doc, Map.of("KUBECONFIG", "/k")).kubeconfig());
        String named = "{\"name\":\"n\",\"ipam\":{\"type\":\"whereabouts\",\"range\":\"10.0.0.0/24\","
                + "\"kubernetes\":{\"kubeconfig\":\"/mine\"}}}";
        assertEquals(Optional.of("/mine"), load(named, Map.of("KUBECONFIG", "/k")).kubeconfig());
    }

    @Test
    void eachInstallNameServesItsOwnTypeOnly() {
        IpamException e = assertThrows(IpamException.class, () -> load(KUBE_NODE, Map.of()));
        assertEquals(IpamException.INVALID_CONFIG, e.code());
        assertThrows(IpamException.class, () -> load(KUBE_NODE, as("node-annotation")));
        assertThrows(IpamException.class, () -> load(NODE_ANNOTATION, as("kube-node")));
        assertEquals("whereabouts", assertThrows(IpamException.class, () -> load(
                "{\"name\":\"n\",\"ipam\":{\"type\":\"host-local\"}}", as("whereabouts"))).getMessage().split("'")[1]);
    }

    @Test
    void badValuesInTheNewFieldsAreInvalidConfig() {
        List<String> kubeNode = List.of(
                "\"ipv4-namespaces\": \"old-application\"",
                "\"ipv4-namespaces\": [\"Old_App\"]",
                "\"ipv4-namespaces\": [7]",
                "\"dataDir\": \"relative/dir\"",
                "\"dataDir\": 5",
                "\"annotation\": [\"a\"]",
                "\"kubeconfig\": true");
        for (String field : kubeNode) {
            String doc = "{\"name\":\"n\",\"ipam\":{\"type\":\"kube-node\"," + field + "}}";
            IpamException e = assertThrows(IpamException.class, () -> load(doc, as("kube-node")), field);
            assertEquals(IpamException.INVALID_CONFIG, e.code(), field);
        }
        IpamException noAnnotation = assertThrows(IpamException.class,
                () -> load("{\"name\":\"n\",\"ipam\":{\"type\":\"node-annotation\"}}", as("node-annotation")));
        assertEquals(IpamException.INVALID_CONFIG, noAnnotation.code());
        for (String field : List.of("\"ipv4_namespaces\": {}", "\"node_ranges\": {\"default_gateway\": \"yes\"}")) {
            String doc = "{\"name\":\"n\",\"ipam\":{\"type\":\"whereabouts\"," + field + "}}";
            IpamException e = assertThrows(IpamException.class, () -> load(doc, Map.of()), field);
            assertEquals(IpamException.INVALID_CONFIG, e.code(), field);
            assertTrue(e.details().contains("ipam."), e.details());
        }
    }
}
