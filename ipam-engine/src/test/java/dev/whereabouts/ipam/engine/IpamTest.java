package dev.whereabouts.ipam.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.api.StoreUnavailableException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ADD, DEL, CHECK and STATUS through the public entry point, against the test store. */
class IpamTest extends EngineFixture {

    static Owner owner(String c) {
        return new Owner(c, "net1", "ns/" + c);
    }

    static PoolKey pool(String cidr) {
        return PoolKey.of(Cidr.parse(cidr), "");
    }

    @Test
    void addReturnsTheLowestFreeAddressWithGatewayRoutesAndDns() {
        IpamConfig c = Conf.load(ipam, conf().range("192.168.2.0/24").ipam("exclude", List.of("192.168.2.0/28"))
                .ipam("gateway", "192.168.2.1").ipam("routes", List.of(Map.of("dst", "0.0.0.0/0")))
                .ipam("dns", Map.of("nameservers", List.of("192.168.2.1"))).top("cniVersion", "1.0.0"));
        CniResult r = ipam.add(c, owner("a"));
        assertEquals("{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"192.168.2.16/24\",\"gateway\":\"192.168.2.1\"}],"
                + "\"routes\":[{\"dst\":\"0.0.0.0/0\"}],\"dns\":{\"nameservers\":[\"192.168.2.1\"]}}", r.toJson(c.cniVersion()));
        assertEquals("192.168.2.17/24", ipam.add(c, owner("b")).ips().getFirst().address().toString());
    }

    @Test
    void routeAddressesArePrintedCanonically() {
        IpamConfig c = Conf.load(ipam, conf().range("3ffe:ffff:0:01ff::/64").ipam("routes", List.of(
                Map.of("dst", "3ffe:ffff:0:01ff::1/64", "gw", "3ffe:ffff:0:01FF::1"), Map.of("dst", "0:0::0/0"))));
        assertEquals("{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"3ffe:ffff:0:1ff::1/64\"}],\"routes\":["
                + "{\"dst\":\"3ffe:ffff:0:1ff::1/64\",\"gw\":\"3ffe:ffff:0:1ff::1\"},{\"dst\":\"::/0\"}]}",
                ipam.add(c, owner("a")).toJson("1.0.0"));
    }

    @Test
    void theGatewayIsNeverHandedToAPodButAPodThatHoldsItKeepsIt() {
        IpamConfig c = Conf.load(ipam, conf().range("10.123.0.0/24").ipam("gateway", "10.123.0.1"));
        assertEquals("10.123.0.2/24", ipam.add(c, owner("a")).ips().getFirst().address().toString());
        Owner legacy = owner("legacy");
        store().commit(pool("10.123.0.0/24"), store().read(pool("10.123.0.0/24")).version(), new PoolChange(
                List.of(new Allocation(IpAddress.parse("10.123.0.1"), legacy)), List.of(), List.of(), List.of()));
        assertEquals("10.123.0.1/24", ipam.add(c, legacy).ips().getFirst().address().toString(),
                "a pod that upstream gave the gateway keeps its address on a re-ADD");
        IpamConfig outside = Conf.load(ipam, conf().range("10.124.0.0/24").ipam("gateway", "10.124.1.1"));
        assertEquals("10.124.0.1/24", ipam.add(outside, owner("b")).ips().getFirst().address().toString());
    }

    @Test
    void addIsIdempotentAndMovesTheEntryToANewSandbox() {
        IpamConfig c = Conf.load(ipam, conf().range("10.0.0.0/24"));
        IpAddress first = ipam.add(c, owner("a")).ips().getFirst().address().address();
        assertEquals(first, ipam.add(c, owner("a")).ips().getFirst().address().address());
        Owner resandboxed = new Owner("a2", "net1", "ns/a");
        assertEquals(first, ipam.add(c, resandboxed).ips().getFirst().address().address());
        assertEquals(Map.of(first, resandboxed), store().allocations(pool("10.0.0.0/24")));
        ipam.del(c, owner("a").attachment());
        assertEquals(Map.of(first, resandboxed), store().allocations(pool("10.0.0.0/24")), "a late DEL of the old sandbox frees nothing");
    }

    @Test
    void podNameIsNotRequired() {
        IpamConfig c = Conf.load(ipam, conf().range("10.0.0.0/24"));
        Owner bare = new Owner("c1", "eth0", "");
        assertEquals("10.0.0.1/24", ipam.add(c, bare).ips().getFirst().address().toString());
        assertEquals("10.0.0.1/24", ipam.add(c, bare).ips().getFirst().address().toString());
        assertEquals("10.0.0.2/24", ipam.add(c, new Owner("c2", "eth0", "")).ips().getFirst().address().toString());
        ipam.del(c, bare.attachment());
        assertEquals(1, store().allocations(pool("10.0.0.0/24")).size());
    }

    @Test
    void multiRangeAddIsAllOrNothing() {
        IpamConfig c = Conf.load(ipam, conf().range("10.0.0.0/24", "fd00::/64", "10.1.0.0/30"));
        store().commit(pool("10.1.0.0/30"), PoolVersion.ABSENT, new PoolChange(List.of(
                new Allocation(IpAddress.parse("10.1.0.1"), owner("x")), new Allocation(IpAddress.parse("10.1.0.2"), owner("y"))),
                List.of(), List.of(), List.of()));
        IpamException e = assertThrows(IpamException.class, () -> ipam.add(c, owner("a")));
        assertEquals(IpamException.POOL_EXHAUSTED, e.code());
        assertEquals("Could not allocate IP in range: ip: 10.1.0.1 / - 10.1.0.2 / range: 10.1.0.0/30 / excludeRanges: []",
                e.getMessage());
        assertEquals(Map.of(), store().allocations(pool("10.0.0.0/24")));
        assertEquals(Map.of(), store().allocations(pool("fd00::/64")));
        assertTrue(store().reservations().isEmpty(), "rolled-back reservations are gone too");
    }

    @Test
    void rollbackKeepsWhatAnEarlierAddAlreadyHeld() {
        IpamConfig one = Conf.load(ipam, conf().range("10.0.0.0/24"));
        IpAddress held = ipam.add(one, owner("a")).ips().getFirst().address().address();
        IpamConfig two = Conf.load(ipam, conf().range("10.0.0.0/24", "10.1.0.0/30"));
        store().commit(pool("10.1.0.0/30"), PoolVersion.ABSENT, new PoolChange(List.of(
                new Allocation(IpAddress.parse("10.1.0.1"), owner("x")), new Allocation(IpAddress.parse("10.1.0.2"), owner("y"))),
                List.of(), List.of(), List.of()));
        assertThrows(IpamException.class, () -> ipam.add(two, owner("a")));
        assertEquals(Map.of(held, owner("a")), store().allocations(pool("10.0.0.0/24")));
    }

    @Test
    void delReleasesInEveryRangeEvenAfterAMiss() {
        IpamConfig c = Conf.load(ipam, conf().range("10.0.0.0/24", "10.1.0.0/24", "fd00::/64"));
        ipam.add(c, owner("a"));
        ipam.add(c, owner("b"));
        PoolKey first = pool("10.0.0.0/24");
        var snap = store().read(first);
        store().commit(first, snap.version(), new PoolChange(List.of(), List.of(IpAddress.parse("10.0.0.1")), List.of(),
                List.of(new Reservation("", IpAddress.parse("10.0.0.1"), owner("a")))));
        ipam.del(c, owner("a").attachment());
        assertEquals(Map.of(IpAddress.parse("10.1.0.2"), owner("b")), store().allocations(pool("10.1.0.0/24")));
        assertEquals(Map.of(IpAddress.parse("fd00::2"), owner("b")), store().allocations(pool("fd00::/64")));
        ipam.del(c, owner("a").attachment());
        ipam.del(c, owner("never").attachment());
        assertEquals(3, store().reservations().size(), "b's three reservations remain");
    }

    @Test
    void overlappingRangesShareAddressesThroughReservations() {
        IpamConfig wide = Conf.load(ipam, conf().range("192.168.22.0/24"));
        IpamConfig narrow = Conf.load(ipam, conf().range("192.168.22.0/28"));
        assertEquals("192.168.22.1/24", ipam.add(wide, owner("a")).ips().getFirst().address().toString());
        assertEquals("192.168.22.2/28", ipam.add(narrow, owner("b")).ips().getFirst().address().toString());
        ipam.del(wide, owner("a").attachment());
        assertEquals("192.168.22.1/28", ipam.add(narrow, owner("c")).ips().getFirst().address().toString());
    }

    @Test
    void overlappingRangesCanBeDisabled() {
        IpamConfig wide = Conf.load(ipam, conf().range("192.168.22.0/24").ipam("enable_overlapping_ranges", false));
        IpamConfig narrow = Conf.load(ipam, conf().range("192.168.22.0/28"));
        assertEquals("192.168.22.1/24", ipam.add(wide, owner("a")).ips().getFirst().address().toString());
        assertEquals("192.168.22.1/28", ipam.add(narrow, owner("b")).ips().getFirst().address().toString());
    }

    @Test
    void networkNamesIsolatePools() {
        IpamConfig red = Conf.load(ipam, conf().range("10.0.0.0/24").ipam("network_name", "red"));
        IpamConfig blue = Conf.load(ipam, conf().range("10.0.0.0/24").ipam("network_name", "blue"));
        assertEquals("10.0.0.1/24", ipam.add(red, owner("a")).ips().getFirst().address().toString());
        assertEquals("10.0.0.1/24", ipam.add(blue, owner("b")).ips().getFirst().address().toString());
        assertEquals(1, store().allocations(PoolKey.of(Cidr.parse("10.0.0.0/24"), "red")).size());
    }

    @Test
    void resultOrderIsRangesThenStaticAddressesThenCniArgs() {
        IpamConfig c = ipam.load(conf().range("192.168.1.44/28", "fd00::/64").ipam("gateway", "192.168.1.1")
                .ipam("addresses", List.of(Map.of("address", "10.10.0.1/24", "gateway", "10.10.0.254"),
                        Map.of("address", "3ffe:ffff:0:01ff::1/64", "gateway", "3ffe:ffff::1"))).bytes(),
                "IgnoreUnknown=1;IP=172.16.0.9/24", Map.of());
        assertEquals(List.of(CniResultTest.ip("192.168.1.33/28", "192.168.1.1"), CniResultTest.ip("fd00::1/64", null),
                CniResultTest.ip("10.10.0.1/24", "10.10.0.254"), CniResultTest.ip("3ffe:ffff:0:1ff::1/64", "3ffe:ffff::1"),
                CniResultTest.ip("172.16.0.9/24", null)), ipam.add(c, owner("a")).ips());
    }

    @Test
    void noRangesStillSucceedsWithStaticAddresses() {
        IpamConfig c = Conf.load(ipam, conf().ipam("addresses", List.of(Map.of("address", "10.10.0.1/24"))));
        assertEquals(List.of(CniResultTest.ip("10.10.0.1/24", null)), ipam.add(c, owner("a")).ips());
    }

    @Test
    void checkFindsTheAddressAndFailsWithout() {
        IpamConfig c = Conf.load(ipam, conf().range("10.0.0.0/24", "fd00::/64"));
        ipam.add(c, owner("a"));
        ipam.check(c, owner("a"));
        IpamException e = assertThrows(IpamException.class, () -> ipam.check(c, owner("b")));
        assertEquals(IpamException.INTERNAL, e.code());
        assertTrue(e.getMessage().contains("b/net1") && e.getMessage().contains("10.0.0.0/24"), e.getMessage());
    }

    @Test
    void statusAndStoreOutages() {
        IpamConfig c = Conf.load(ipam, conf().range("10.0.0.0/24"));
        ipam.status(c);
        ipam.add(c, owner("a"));
        store().available(false);
        assertEquals(IpamException.PLUGIN_NOT_AVAILABLE, assertThrows(IpamException.class, () -> ipam.status(c)).code());
        assertInstanceOf(StoreUnavailableException.class, assertThrows(IpamException.class, () -> ipam.del(c, owner("a").attachment())));
        assertEquals(IpamException.TRY_AGAIN_LATER, assertThrows(IpamException.class, () -> ipam.add(c, owner("b"))).code());
        store().available(true);
        ipam.del(c, owner("a").attachment());
        assertEquals(Map.of(), store().allocations(pool("10.0.0.0/24")));
    }

    @Test
    void endlessConflictsGiveUpWithTryAgainLaterWithinTheBudget() {
        IpamConfig c = Conf.load(ipam, conf().range("10.0.0.0/24").ipam("store_timeout_ms", 150));
        store().injectConflicts(1.0, 7);
        IpamException e = assertThrows(IpamException.class, () -> ipam.add(c, owner("a")));
        assertEquals(IpamException.TRY_AGAIN_LATER, e.code());
        assertEquals("try again later", e.getMessage());
        assertTrue(e.details().contains("10.0.0.0-24"), e.details());
        store().injectConflicts(0, 7);
        assertEquals(Map.of(), store().allocations(pool("10.0.0.0/24")));
        assertTrue(store().injectedConflicts.get() > 1, "it retried before giving up");
    }

    @Test
    void unknownDatastoreListsTheProviders() {
        IpamConfig c = Conf.load(ipam, conf().range("10.0.0.0/24").ipam("datastore", "etcdd"));
        IpamException e = assertThrows(IpamException.class, () -> ipam.add(c, owner("a")));
        assertEquals(IpamException.INVALID_CONFIG, e.code());
        assertEquals("unknown datastore 'etcdd'; available: [test-memory]", e.getMessage());
    }

    @Test
    void oneStoreIsOpenedPerClientKeyAndClosedWithTheEngine() {
        int before = TestStoreProvider.OPENED.get();
        IpamConfig a = Conf.load(ipam, conf().range("10.0.0.0/24"));
        IpamConfig b = Conf.load(ipam, conf().range("10.9.0.0/24").ipam("log_level", "error"));
        ipam.add(a, owner("a"));
        ipam.add(b, owner("a"));
        ipam.status(a);
        assertEquals(before + 1, TestStoreProvider.OPENED.get());
        ipam.close();
        assertTrue(store().closed);
    }

    @Test
    void nodeSlicesAllocateFromThisNodesSlice() {
        String cfg = "10.0.0.0/16";
        store().assignSlice("net1", "node-a", Cidr.parse("10.0.4.0/24"));
        Conf conf = conf().range(cfg).ipam("node_slice_size", "/24");
        IpamConfig c = ipam.load(conf.bytes(), "", Map.of("NODENAME", "node-a"));
        assertEquals("10.0.4.1/16", ipam.add(c, owner("a")).ips().getFirst().address().toString());
        assertEquals(1, store().allocations(new PoolKey(Cidr.parse("10.0.4.0/24"), "", "node-a")).size());
        ipam.del(c, owner("a").attachment());
        assertEquals(Map.of(), store().allocations(new PoolKey(Cidr.parse("10.0.4.0/24"), "", "node-a")));
        IpamConfig other = ipam.load(conf.bytes(), "", Map.of("NODENAME", "node-b"));
        IpamException e = assertThrows(IpamException.class, () -> ipam.add(other, owner("b")));
        assertEquals(IpamException.TRY_AGAIN_LATER, e.code());
        assertEquals("no allocated node slice for node node-b", e.getMessage());
    }

    @Test
    void nodeRangesTakeOneAddressFromEachOfTheNodesCidrs() {
        store().assignNodeRanges("node-a", "", List.of(Cidr.parse("10.244.1.0/24"), Cidr.parse("fd00:10:244:1::/64")));
        store().assignNodeRanges("node-a", "example.com/ranges", List.of(Cidr.parse("192.168.50.0/28")));
        Conf conf = conf().ipam("node_ranges", true).ipam("gateway", "10.244.1.1").ipam("exclude", List.of("10.244.1.2"));
        IpamConfig c = ipam.load(conf.bytes(), "", Map.of("NODENAME", "node-a"));
        CniResult r = ipam.add(c, owner("a"));
        assertEquals(List.of("10.244.1.3/24", "fd00:10:244:1::1/64"),
                r.ips().stream().map(ip -> ip.address().toString()).toList(), "gateway and exclude skipped, one per family");
        assertEquals("10.244.1.1", r.ips().getFirst().gateway().orElseThrow().toString());
        PoolKey v4 = new PoolKey(Cidr.parse("10.244.1.0/24"), "", "node-a");
        assertEquals(1, store().allocations(v4).size());
        ipam.del(c, owner("a").attachment());
        assertEquals(Map.of(), store().allocations(v4));

        IpamConfig annotated = ipam.load(conf().ipam("node_ranges", Map.of("annotation", "example.com/ranges")).bytes(),
                "", Map.of("NODENAME", "node-a"));
        assertEquals("192.168.50.1/28", ipam.add(annotated, owner("b")).ips().getFirst().address().toString());

        IpamConfig unknownNode = ipam.load(conf.bytes(), "", Map.of("NODENAME", "node-z"));
        IpamException e = assertThrows(IpamException.class, () -> ipam.add(unknownNode, owner("c")));
        assertEquals(IpamException.TRY_AGAIN_LATER, e.code());
        ipam.del(unknownNode, owner("c").attachment()); // DEL stays best effort
    }

    @Test
    void nodeRangesReplaceTheConfiguredRanges() {
        IpamException e = assertThrows(IpamException.class,
                () -> ipam.load(conf().range("10.0.0.0/24").ipam("node_ranges", true).bytes(), "", Map.of()));
        assertEquals(IpamException.INVALID_CONFIG, e.code());
        assertTrue(e.details().contains("node_ranges"), e.details());
        IpamException bad = assertThrows(IpamException.class,
                () -> ipam.load(conf().ipam("node_ranges", "yes").bytes(), "", Map.of()));
        assertEquals(IpamException.INVALID_CONFIG, bad.code());
    }
}
