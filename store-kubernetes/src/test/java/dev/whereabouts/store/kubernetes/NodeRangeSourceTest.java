package dev.whereabouts.store.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.spi.NodeFacts;
import dev.whereabouts.ipam.spi.NodeRangeSource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NodeRangeSourceTest {

    static final String ANNOTATION = "whereabouts.dev/node-ranges";

    MockCluster cluster;
    NodeRangeSource source;
    KubernetesIpamStore store;

    @BeforeEach
    void start() {
        cluster = new MockCluster("kube-system");
        store = cluster.open();
        source = store;
    }

    @AfterEach
    void stop() {
        store.close();
        cluster.close();
    }

    void node(String name, Map<String, String> annotations, List<String> podCidrs) {
        Node n = new NodeBuilder().withNewMetadata().withName(name).withAnnotations(annotations).endMetadata()
                .withNewSpec().withPodCIDRs(podCidrs).withPodCIDR(podCidrs.isEmpty() ? null : podCidrs.get(0)).endSpec()
                .build();
        cluster.admin.nodes().resource(n).create();
    }

    @Test
    void nodeSliceComesFromTheNodeSlicePoolStatus() {
        GenericKubernetesResource pool = new GenericKubernetesResource();
        pool.setApiVersion(Kinds.API_VERSION);
        pool.setKind("NodeSlicePool");
        pool.setMetadata(new ObjectMetaBuilder().withName("whereaboutsexample").withNamespace("kube-system").build());
        pool.setAdditionalProperty("spec", Map.of("range", "10.0.0.0/8", "sliceSize", "/10"));
        pool.setAdditionalProperty("status", Map.of("allocations", List.of(
                Map.of("nodeName", "node1", "sliceRange", "10.0.0.0/10"),
                Map.of("nodeName", "", "sliceRange", "10.64.0.0/10"),
                Map.of("nodeName", "node2", "sliceRange", "10.128.0.0/10"))));
        cluster.admin.genericKubernetesResources(Kinds.NODE_SLICE_POOL).inNamespace("kube-system").resource(pool).create();
        assertEquals(Optional.of(Cidr.parse("10.128.0.0/10")), source.nodeSlice("whereaboutsexample", "node2"));
        assertEquals(Optional.of(Cidr.parse("10.0.0.0/10")), source.nodeSlice("whereaboutsexample", "node1"));
        assertEquals(Optional.empty(), source.nodeSlice("whereaboutsexample", "node3"));
        assertEquals(Optional.empty(), source.nodeSlice("no-such-pool", "node1"));
    }

    @Test
    void aNodeGivesItsPodCidrsAndTheAskedAnnotationAsWritten() {
        node("comma", Map.of(ANNOTATION, "10.1.0.0/24, fd00:1::/64"), List.of("10.244.1.0/24", "fd00:10::/64"));
        assertEquals(Optional.of(new NodeFacts("comma", List.of("10.244.1.0/24", "fd00:10::/64"),
                Optional.of("10.1.0.0/24, fd00:1::/64"))), source.node("comma", ANNOTATION));
        assertEquals(Optional.empty(), source.node("comma", "other.example.com/ranges").orElseThrow().annotation());
        assertEquals(Optional.empty(), source.node("comma", "").orElseThrow().annotation());
        assertEquals(Optional.empty(), source.node("missing-node", ANNOTATION));
    }

    @Test
    void theNodeOfAMachineIdIsFoundInTheNodeList() {
        for (String name : List.of("vm-1", "vm-2")) {
            Node n = new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewStatus()
                    .withNewNodeInfo().withMachineID("id-" + name).endNodeInfo().endStatus().build();
            cluster.admin.nodes().resource(n).create();
        }
        assertEquals(Optional.of("vm-2"), source.nodeWithMachineId("id-vm-2"));
        assertEquals(Optional.empty(), source.nodeWithMachineId("id-vm-3"));
    }
}
