package dev.whereabouts.controllers.slices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.controllers.MockApi;
import dev.whereabouts.ops.nad.Nads;
import dev.whereabouts.ipam.api.Cidr;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The node-slice controller on the mock API server (CRUD mode, with watches). */
@EnableKubernetesMockClient(crud = true, https = false)
class NodeSliceControllerTest {

    static final Duration SOON = Duration.ofSeconds(10);
    static KubernetesClient client;

    final List<NodeSliceController> running = new ArrayList<>();

    @BeforeAll
    static void crds() {
        MockApi.installCrds(client);
    }

    @AfterEach
    void stop() {
        running.forEach(NodeSliceController::close);
        client.nodes().delete();
        Nads.of(client).inAnyNamespace().delete();
        client.genericKubernetesResources(SlicePoolObjects.KIND).inAnyNamespace().delete();
    }

    private NodeSliceController start(String identity) {
        NodeSliceController c = new NodeSliceController(client, MockApi.NS, identity, Duration.ofSeconds(1),
                Duration.ofSeconds(3)).start();
        running.add(c);
        return c;
    }

    static GenericKubernetesResource pool(String name) {
        return client.genericKubernetesResources(SlicePoolObjects.KIND).inNamespace(MockApi.NS).withName(name).get();
    }

    static Map<String, String> slices(String name) {
        GenericKubernetesResource p = pool(name);
        return p == null ? Map.of() : SlicePoolObjects.slots(p).stream().filter(s -> !s.free())
                .collect(Collectors.toMap(Slot::nodeName, s -> s.slice().toString()));
    }

    static boolean eventually(java.util.function.BooleanSupplier c) {
        return MockApi.await(SOON, c);
    }

    static String sliced(String cniName, String range, String size, String extra) {
        return MockApi.whereabouts(cniName, range, ",\"node_slice_size\":\"" + size + "\"" + extra);
    }

    @Test
    void aFreshNetworkGetsOnePoolWithASlicePerNodeAndFollowsNodesJoiningAndLeaving() {
        MockApi.node(client, "node1");
        MockApi.node(client, "node2");
        MockApi.nad(client, MockApi.NS, "tenant-nad", sliced("tenant", "10.0.0.0/8", "/10", ""));
        start("a");

        assertTrue(eventually(() -> slices("tenant").equals(Map.of("node1", "10.0.0.0/10", "node2", "10.64.0.0/10"))),
                () -> String.valueOf(pool("tenant")));
        GenericKubernetesResource p = pool("tenant");
        assertEquals(Map.of("range", "10.0.0.0/8", "sliceSize", "/10"), p.getAdditionalProperties().get("spec"));
        assertEquals(4, SlicePoolObjects.slots(p).size());
        assertEquals("tenant-nad", p.getMetadata().getOwnerReferences().getFirst().getName());
        assertEquals(Boolean.TRUE, p.getMetadata().getOwnerReferences().getFirst().getController());

        MockApi.node(client, "node3");
        assertTrue(eventually(() -> "10.128.0.0/10".equals(slices("tenant").get("node3"))));
        client.nodes().withName("node1").delete();
        assertTrue(eventually(() -> !slices("tenant").containsKey("node1")));
        MockApi.node(client, "node4");
        assertTrue(eventually(() -> "10.0.0.0/10".equals(slices("tenant").get("node4"))), "the freed slice is reused");
        assertEquals("10.64.0.0/10", slices("tenant").get("node2"));
    }

    @Test
    void aRangeChangeReslicesAndAnUnrelatedChangeWritesNothing() throws Exception {
        MockApi.node(client, "node1");
        MockApi.node(client, "node2");
        MockApi.nad(client, MockApi.NS, "net", sliced("net", "10.1.0.0/16", "/24", ",\"network_name\":\"blue\""));
        start("a");
        assertTrue(eventually(() -> slices("blue").equals(Map.of("node1", "10.1.0.0/24", "node2", "10.1.1.0/24"))));

        String version = pool("blue").getMetadata().getResourceVersion();
        MockApi.nad(client, MockApi.NS, "net", sliced("net", "10.1.0.0/16", "/24",
                ",\"network_name\":\"blue\",\"gateway\":\"10.1.0.1\""));
        Thread.sleep(2500);
        assertEquals(version, pool("blue").getMetadata().getResourceVersion(), "nothing that slicing uses changed");

        MockApi.nad(client, MockApi.NS, "net", sliced("net", "10.2.0.0/16", "/26", ",\"network_name\":\"blue\""));
        assertTrue(eventually(() -> slices("blue").equals(Map.of("node1", "10.2.0.0/26", "node2", "10.2.0.64/26"))),
                () -> slices("blue").toString());
        assertEquals(1024, SlicePoolObjects.slots(pool("blue")).size());
    }

    @Test
    void twoNadsShareANetworksPoolUntilTheLastIsDeleted() {
        MockApi.node(client, "node1");
        MockApi.nad(client, MockApi.NS, "first", sliced("x", "10.3.0.0/16", "/24", ",\"network_name\":\"shared\""));
        MockApi.nad(client, "apps", "second", sliced("y", "10.3.0.0/16", "/24", ",\"network_name\":\"shared\""));
        MockApi.nad(client, MockApi.NS, "other-ipam", "{\"cniVersion\":\"0.3.1\",\"name\":\"dhcp\",\"type\":\"macvlan\","
                + "\"ipam\":{\"type\":\"dhcp\"}}");
        MockApi.nad(client, MockApi.NS, "no-ipam", "{\"cniVersion\":\"0.3.1\",\"name\":\"plain\",\"type\":\"bridge\"}");
        MockApi.nad(client, MockApi.NS, "no-slices", MockApi.whereabouts("flat", "10.9.0.0/16", ""));
        start("a");
        assertTrue(eventually(() -> slices("shared").equals(Map.of("node1", "10.3.0.0/24"))));
        assertEquals(List.of(), java.util.Objects.requireNonNullElse(pool("shared").getMetadata().getOwnerReferences(), List.of()),
                "a NAD in another namespace: no owner references, or the garbage collector would delete the pool");
        assertEquals(Set.of("shared"), client.genericKubernetesResources(SlicePoolObjects.KIND).inNamespace(MockApi.NS)
                .list().getItems().stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet()),
                "NADs with another IPAM, no IPAM or no node_slice_size have no pool");

        String settled = pool("shared").getMetadata().getResourceVersion();
        try {
            Thread.sleep(2500);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertEquals(settled, pool("shared").getMetadata().getResourceVersion(), "resyncs write nothing once settled");

        Nads.of(client).inNamespace(MockApi.NS).withName("first").delete();
        MockApi.node(client, "node2");
        assertTrue(eventually(() -> slices("shared").containsKey("node2")), "still maintained for the other NAD");
        Nads.of(client).inNamespace("apps").withName("second").delete();
        assertTrue(eventually(() -> pool("shared") == null), "removed with the last NAD");
    }

    @Test
    void aNadThatStopsSlicingKeepsItsPoolUntilItIsDeleted() throws Exception {
        MockApi.node(client, "node1");
        MockApi.nad(client, MockApi.NS, "kept", sliced("kept", "10.5.0.0/16", "/24", ""));
        start("a");
        assertTrue(eventually(() -> slices("kept").equals(Map.of("node1", "10.5.0.0/24"))));

        MockApi.nad(client, MockApi.NS, "kept", MockApi.whereabouts("kept", "10.5.0.0/16", ""));
        Thread.sleep(2500);
        assertEquals(Map.of("node1", "10.5.0.0/24"), slices("kept"), "upstream ignores such a NAD; so do we");

        Nads.of(client).inNamespace(MockApi.NS).withName("kept").delete();
        assertTrue(eventually(() -> pool("kept") == null));
    }

    @Test
    void aRestartMidwayConvergesWithoutDuplicatesAndOnlyOneReplicaWrites() throws Exception {
        for (int i = 0; i < 4; i++) {
            MockApi.node(client, "n" + i);
        }
        MockApi.nad(client, MockApi.NS, "r", sliced("r", "10.4.0.0/24", "/28", ""));
        NodeSliceController first = start("first");
        assertTrue(eventually(() -> slices("r").size() == 4));
        NodeSliceController standby = start("standby");
        Thread.sleep(1500);
        assertTrue(first.active());
        assertFalse(standby.active(), "one active replica");

        // The active replica goes away while nodes come and go; the standby takes over.
        first.close();
        client.nodes().withName("n1").delete();
        for (int i = 4; i < 20; i++) {
            MockApi.node(client, "n" + i);
        }
        assertTrue(eventually(() -> standby.active() && slices("r").size() == 16), () -> slices("r").toString());
        Map<String, String> s = slices("r");
        assertFalse(s.containsKey("n1"));
        assertEquals(s.size(), new HashSet<>(s.values()).size(), "no slice twice");
        List<Slot> slots = SlicePoolObjects.slots(pool("r"));
        assertEquals(16, slots.size());
        for (Slot slot : slots) {
            assertTrue(Cidr.parse("10.4.0.0/24").contains(slot.slice()));
        }
    }
}
