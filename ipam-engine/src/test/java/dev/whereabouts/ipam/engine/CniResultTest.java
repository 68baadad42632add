package dev.whereabouts.ipam.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.IpamException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The result JSON of every CNI version, byte for byte. */
class CniResultTest {

    static CniResult.Ip ip(String cidr, String gw) {
        return new CniResult.Ip(Cidr.parse(cidr), Optional.ofNullable(gw).map(IpAddress::parse));
    }

    private static Map<String, Object> route(String dst, String gw) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dst", dst);
        if (gw != null) {
            m.put("gw", gw);
        }
        return m;
    }

    private final CniResult dual = new CniResult(
            List.of(ip("10.1.0.5/16", "10.1.0.1"), ip("fd00::5/64", null)),
            List.of(route("0.0.0.0/0", null), route("192.168.0.0/16", "10.1.0.254"), route("::/0", "fd00::1")),
            new LinkedHashMap<>(Map.of("nameservers", List.of("10.1.0.1"))));

    @Test
    void version1xHasNoIpVersionAndOmitsEmptyDns() {
        String ips = "\"ips\":[{\"address\":\"10.1.0.5/16\",\"gateway\":\"10.1.0.1\"},{\"address\":\"fd00::5/64\"}],"
                + "\"routes\":[{\"dst\":\"0.0.0.0/0\"},{\"dst\":\"192.168.0.0/16\",\"gw\":\"10.1.0.254\"},{\"dst\":\"::/0\",\"gw\":\"fd00::1\"}],"
                + "\"dns\":{\"nameservers\":[\"10.1.0.1\"]}}";
        assertEquals("{\"cniVersion\":\"1.1.0\"," + ips, dual.toJson("1.1.0"));
        assertEquals("{\"cniVersion\":\"1.0.0\"," + ips, dual.toJson("1.0.0"));
        CniResult noDns = new CniResult(List.of(ip("10.1.0.5/16", null)), List.of(), Map.of());
        assertEquals("{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.1.0.5/16\"}]}", noDns.toJson("1.0.0"));
    }

    @Test
    void version03xAnd040CarryIpVersionAndAlwaysDns() {
        CniResult r = new CniResult(List.of(ip("10.1.0.5/16", "10.1.0.1"), ip("fd00::5/64", null)),
                List.of(route("0.0.0.0/0", null)), Map.of());
        for (String v : List.of("0.3.0", "0.3.1", "0.4.0")) {
            assertEquals("{\"cniVersion\":\"" + v + "\",\"ips\":[{\"version\":\"4\",\"address\":\"10.1.0.5/16\",\"gateway\":\"10.1.0.1\"},"
                    + "{\"version\":\"6\",\"address\":\"fd00::5/64\"}],\"routes\":[{\"dst\":\"0.0.0.0/0\"}],\"dns\":{}}", r.toJson(v));
        }
    }

    @Test
    void legacyVersionsSplitByFamilyAndGroupRoutes() {
        for (String v : List.of("0.1.0", "0.2.0")) {
            assertEquals("{\"cniVersion\":\"" + v + "\",\"ip4\":{\"ip\":\"10.1.0.5/16\",\"gateway\":\"10.1.0.1\",\"routes\":"
                    + "[{\"dst\":\"0.0.0.0/0\"},{\"dst\":\"192.168.0.0/16\",\"gw\":\"10.1.0.254\"}]},"
                    + "\"ip6\":{\"ip\":\"fd00::5/64\",\"routes\":[{\"dst\":\"::/0\",\"gw\":\"fd00::1\"}]},"
                    + "\"dns\":{\"nameservers\":[\"10.1.0.1\"]}}", dual.toJson(v));
        }
        CniResult v6only = new CniResult(List.of(ip("fd00::5/64", null)), List.of(route("0.0.0.0/0", null)), Map.of());
        assertEquals("{\"cniVersion\":\"0.2.0\",\"ip6\":{\"ip\":\"fd00::5/64\"},\"dns\":{}}", v6only.toJson("0.2.0"));
    }

    @Test
    void legacyVersionsRefuseNoAddressOrTwoOfAFamily() {
        IpamException none = assertThrows(IpamException.class, () -> new CniResult(List.of(), List.of(), Map.of()).toJson("0.2.0"));
        assertEquals("no valid IP addresses", none.getMessage());
        CniResult two = new CniResult(List.of(ip("10.1.0.5/16", null), ip("10.2.0.5/16", null)), List.of(), Map.of());
        IpamException e = assertThrows(IpamException.class, () -> two.toJson("0.1.0"));
        assertEquals("CNI version 0.1.0 does not support more than 1 address per family", e.getMessage());
        assertEquals("{\"cniVersion\":\"0.3.1\",\"ips\":[{\"version\":\"4\",\"address\":\"10.1.0.5/16\"},"
                + "{\"version\":\"4\",\"address\":\"10.2.0.5/16\"}],\"dns\":{}}", two.toJson("0.3.1"));
    }

    @Test
    void unsupportedVersionIsCode1() {
        IpamException e = assertThrows(IpamException.class, () -> dual.toJson("0.5.0"));
        assertEquals(IpamException.INCOMPATIBLE_VERSION, e.code());
        assertEquals("config is \"0.5.0\", plugin supports [0.1.0, 0.2.0, 0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0]", e.details());
    }

    @Test
    void routeFieldsOf11AreKeptOnlyIn11() {
        Map<String, Object> r = route("10.0.0.0/8", "10.1.0.1");
        r.put("mtu", 1400);
        r.put("table", 100);
        CniResult res = new CniResult(List.of(ip("10.1.0.5/16", null)), List.of(r), Map.of());
        assertEquals("{\"cniVersion\":\"1.1.0\",\"ips\":[{\"address\":\"10.1.0.5/16\"}],"
                + "\"routes\":[{\"dst\":\"10.0.0.0/8\",\"gw\":\"10.1.0.1\",\"mtu\":1400,\"table\":100}]}", res.toJson("1.1.0"));
        assertEquals("{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.1.0.5/16\"}],"
                + "\"routes\":[{\"dst\":\"10.0.0.0/8\",\"gw\":\"10.1.0.1\"}]}", res.toJson("1.0.0"));
    }

    @Test
    void dnsKeepsItsFourFields() {
        Map<String, Object> dns = new LinkedHashMap<>();
        dns.put("options", List.of("ndots:5"));
        dns.put("search", List.of("example.com"));
        dns.put("domain", "example.com");
        dns.put("nameservers", List.of("10.1.0.1"));
        dns.put("unknown", "x");
        CniResult res = new CniResult(List.of(ip("10.1.0.5/16", null)), List.of(), dns);
        assertEquals("{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.1.0.5/16\"}],\"dns\":{\"nameservers\":[\"10.1.0.1\"],"
                + "\"domain\":\"example.com\",\"search\":[\"example.com\"],\"options\":[\"ndots:5\"]}}", res.toJson("1.0.0"));
    }

    @Test
    void roundTripsThroughTheNewestModel() {
        assertEquals(dual, CniResult.fromJson(dual.toJson("1.1.0")));
        assertEquals(dual.ips(), CniResult.fromJson(dual.toJson("0.4.0")).ips());
        assertEquals(IpamException.DECODING_FAILURE, assertThrows(IpamException.class,
                () -> CniResult.fromJson("{\"ips\":[{\"address\":5}]}")).code());
    }
}
