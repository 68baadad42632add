package dev.whereabouts.store.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpamException;
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
    void nodeRangesPreferTheAnnotationInEitherForm() {
        node("comma", Map.of(ANNOTATION, "10.1.0.0/24, fd00:1::/64"), List.of("10.244.1.0/24"));
        node("json", Map.of(ANNOTATION, "[\"10.2.0.0/24\",\"fd00:2::/64\"]"), List.of("10.244.2.0/24"));
        assertEquals(List.of(Cidr.parse("10.1.0.0/24"), Cidr.parse("fd00:1::/64")), source.nodeRanges("comma", ANNOTATION));
        assertEquals(List.of(Cidr.parse("10.2.0.0/24"), Cidr.parse("fd00:2::/64")), source.nodeRanges("json", ANNOTATION));
    }

    @Test
    void nodeRangesFallBackToPodCidrs() {
        node("plain", Map.of(ANNOTATION, " "), List.of("10.244.3.0/24", "fd00:3::/64"));
        assertEquals(List.of(Cidr.parse("10.244.3.0/24"), Cidr.parse("fd00:3::/64")), source.nodeRanges("plain", ANNOTATION));
        assertEquals(List.of(), source.nodeRanges("missing-node", ANNOTATION));
    }

    @Test
    void aBrokenAnnotationIsAnInvalidConfiguration() {
        node("broken", Map.of(ANNOTATION, "10.9.0.0/33"), List.of());
        var e = assertThrows(IpamException.class, () -> source.nodeRanges("broken", ANNOTATION));
        assertEquals(IpamException.INVALID_CONFIG, e.code());
    }
}
