package dev.whereabouts.ipam.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** node_ranges with kube-node's and node-annotation's annotation formats, their gateway rule and ipv4_namespaces. */
class NodeRangesTest extends EngineFixture {

    static final String ANN = "example.com/net3";

    private IpamConfig load(Object nodeRanges, String cniArgs, Map<String, Object> extra) {
        Conf conf = conf().ipam("node_ranges", nodeRanges);
        extra.forEach(conf::ipam);
        return ipam.load(conf.bytes(), cniArgs, Map.of("NODENAME", "vm-3"));
    }

    private List<String> add(IpamConfig c, String id) {
        return ipam.add(c, new Owner(id, "net1", "")).ips().stream()
                .map(ip -> ip.address() + " gw " + ip.gateway().map(Object::toString).orElse("-")).toList();
    }

    @Test
    void kubeNodesCommaListGivesOneAddressPerFamilyAfterTheGateway() {
        store().annotate("vm-3", ANN, "192.168.55.0/26,fd00:5::1:0/112");
        IpamConfig c = load(Map.of("annotation", ANN, "default_gateway", true), "", Map.of());
        assertEquals(List.of("192.168.55.2/26 gw 192.168.55.1", "fd00:5::1:2/112 gw fd00:5::1:1"), add(c, "a"));
        assertEquals(List.of("192.168.55.3/26 gw 192.168.55.1", "fd00:5::1:3/112 gw fd00:5::1:1"), add(c, "b"));
    }

    @Test
    void nodeAnnotationsHostLocalFormKeepsStartEndAndGateway() {
        store().annotate("vm-3", ANN, """
                ranges: [[{"subnet": "16.0.0.0/24", "rangeStart": "16.0.0.5", "rangeEnd": "16.0.0.6", "gateway": "16.0.0.254"}],
                  [{"subnet": "4000::16.0.0.0/120"}]]""");
        IpamConfig c = load(Map.of("annotation", ANN, "default_gateway", true), "", Map.of());
        assertEquals(List.of("16.0.0.5/24 gw 16.0.0.254", "4000::1000:2/120 gw 4000::1000:1"), add(c, "a"));
        assertEquals("16.0.0.6/24 gw 16.0.0.254", add(c, "b").getFirst());
        IpamException full = assertThrows(IpamException.class, () -> add(c, "c"));
        assertEquals(IpamException.POOL_EXHAUSTED, full.code());
    }

    @Test
    void theQuotedAndFlatHostLocalFormsAndAJsonListAreReadToo() {
        store().annotate("vm-3", ANN, "\"ranges\": [ {\"subnet\": \"10.7.0.0/24\"} ]");
        store().annotate("vm-3", "json", "[\"10.8.0.0/24\"]");
        assertEquals(List.of("10.7.0.1/24 gw -"), add(load(Map.of("annotation", ANN), "", Map.of()), "a"));
        assertEquals(List.of("10.8.0.1/24 gw -"), add(load(Map.of("annotation", "json"), "", Map.of()), "a"));
    }

    @Test
    void aNodeWithoutTheAnnotationIsAnErrorNamingBothNeverThePodNetwork() {
        store().assignNodeRanges("vm-3", "", List.of(Cidr.parse("10.244.3.0/24")));
        IpamConfig c = load(Map.of("annotation", ANN), "", Map.of());
        IpamException e = assertThrows(IpamException.class, () -> add(c, "a"));
        assertEquals("node vm-3 has no annotation " + ANN, e.getMessage());
        assertEquals(Map.of(), store().allocations(new PoolKey(Cidr.parse("10.244.3.0/24"), "", "vm-3")));
    }

    @Test
    void aBrokenAnnotationIsInvalidConfigNamingNodeAndAnnotation() {
        for (String bad : List.of("10.9.0.0/33", "ranges: [[{\"subnet\": \"10.1.0.0/24\"}, {\"subnet\": \"10.2.0.0/24\"}]]",
                "ranges: [[{\"rangeStart\": \"10.1.0.4\"}]]", "ranges: {", "[1, 2]",
                "ranges: [[{\"subnet\": \"10.1.0.0/24\", \"rangeStart\": \"10.2.0.1\"}]]")) {
            store().annotate("vm-3", ANN, bad);
            IpamException e = assertThrows(IpamException.class, () -> add(load(Map.of("annotation", ANN), "", Map.of()), "a"), bad);
            assertEquals(IpamException.INVALID_CONFIG, e.code(), bad);
            assertTrue(e.details().contains("vm-3") && e.details().contains(ANN), e.details());
        }
    }

    @Test
    void ipv4NamespacesLimitIpv4ToListedNamespacesWhileEveryPodGetsIpv6() {
        store().assignNodeRanges("vm-3", "", List.of(Cidr.parse("11.0.1.0/24"), Cidr.parse("1100::100/120")));
        Map<String, Object> v4 = Map.of("ipv4_namespaces", List.of("old-application"));
        IpamConfig listed = load(true, "K8S_POD_NAMESPACE=old-application;K8S_POD_NAME=p", v4);
        IpamConfig other = load(true, "K8S_POD_NAMESPACE=default;K8S_POD_NAME=q", v4);
        IpamConfig unknown = load(true, "", v4);
        assertEquals(List.of("11.0.1.1/24 gw -", "1100::101/120 gw -"), add(listed, "a"));
        assertEquals(List.of("1100::102/120 gw -"), add(other, "b"));
        assertEquals(List.of("1100::103/120 gw -"), add(unknown, "c"));
        ipam.del(other, new Owner("a", "net1", "").attachment());
        assertEquals(Map.of(), store().allocations(new PoolKey(Cidr.parse("11.0.1.0/24"), "", "vm-3")));
    }

    @Test
    void anIpv4OnlyNodeCannotServeAPodOutsideTheList() {
        store().assignNodeRanges("vm-3", "", List.of(Cidr.parse("11.0.1.0/24")));
        IpamConfig c = load(true, "K8S_POD_NAMESPACE=default", Map.of("ipv4_namespaces", List.of()));
        IpamException e = assertThrows(IpamException.class, () -> add(c, "a"));
        assertEquals(IpamException.INVALID_CONFIG, e.code());
    }

    @Test
    void theNodeIsFoundByNameVariablesThenMachineIdThenHostName(@TempDir Path dir) throws Exception {
        store().machineId("vm-7", "abc123");
        Path id = Files.writeString(dir.resolve("machine-id"), "\nabc123\n");
        Path host = Files.writeString(dir.resolve("hostname"), "host-1\n");
        Conf conf = conf().ipam("node_ranges", true);
        var n = ipam.load(conf.bytes(), "", Map.of("NODE_NAME", "vm-5")).network();
        assertEquals("vm-5", NodeNames.resolve(n, this::store, id, host));
        n = ipam.load(conf.bytes(), "", Map.of("NODENAME", "vm-4", "NODE_NAME", "vm-5")).network();
        assertEquals("vm-4", NodeNames.resolve(n, this::store, id, host));
        n = ipam.load(conf.bytes(), "", Map.of()).network();
        assertEquals("vm-7", NodeNames.resolve(n, this::store, id, host));
        assertEquals("host-1", NodeNames.resolve(n, this::store, dir.resolve("none"), host));
    }
}
