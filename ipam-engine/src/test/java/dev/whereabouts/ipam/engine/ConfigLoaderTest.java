package dev.whereabouts.ipam.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.engine.config.ConfigLoader;
import dev.whereabouts.ipam.engine.config.IpamSection;
import dev.whereabouts.ipam.engine.config.NetworkConfig;
import dev.whereabouts.ipam.engine.config.RangeConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Top-level fields, ranges, excludes, gateways, routes, DNS and static addresses, with every validation error. */
class ConfigLoaderTest {

    private final ConfigLoader loader = new ConfigLoader(List.of());

    static String net(String ipamFields) {
        return "{\"cniVersion\":\"1.0.0\",\"name\":\"mynet\",\"type\":\"macvlan\",\"ipam\":{\"type\":\"whereabouts\""
                + (ipamFields.isEmpty() ? "" : "," + ipamFields) + "}}";
    }

    NetworkConfig load(String doc) {
        return loader.load(doc.getBytes(StandardCharsets.UTF_8), "", Map.of());
    }

    IpamSection ipam(String fields) {
        return load(net(fields)).ipam();
    }

    IpamException fails(String doc) {
        return assertThrows(IpamException.class, () -> load(doc));
    }

    static IpAddress ip(String s) {
        return IpAddress.parse(s);
    }

    @Test
    void topLevelFields() {
        NetworkConfig n = load(net("\"range\":\"10.0.0.0/24\""));
        assertEquals("1.0.0", n.cniVersion());
        assertEquals("mynet", n.name());
        assertEquals("0.1.0", load("{\"name\":\"x\",\"ipam\":{\"type\":\"whereabouts\"}}").cniVersion());
        assertEquals(IpamException.INCOMPATIBLE_VERSION, fails("{\"cniVersion\":\"0.5.0\",\"name\":\"x\",\"ipam\":{\"type\":\"whereabouts\"}}").code());
        assertEquals(7, fails("{\"cniVersion\":\"1.0.0\",\"ipam\":{\"type\":\"whereabouts\"}}").code());
        assertEquals(7, fails("{\"cniVersion\":\"1.0.0\",\"name\":\"bad/name\",\"ipam\":{\"type\":\"whereabouts\"}}").code());
    }

    @Test
    void badJsonIsCode6() {
        IpamException e = fails("{\"name\":\"x\",\"ipam\":{ asdf }}");
        assertEquals(IpamException.DECODING_FAILURE, e.code());
        assertTrue(e.getMessage().startsWith("LoadIPAMConfig - JSON Parsing Error: "), e.getMessage());
        assertEquals(6, fails("[1,2]").code());
    }

    @Test
    void ipamMissingOrOfAnotherType() {
        IpamException missing = fails("{\"cniVersion\":\"1.0.0\",\"name\":\"x\"}");
        assertEquals(7, missing.code());
        assertEquals("IPAM config missing 'ipam' key", missing.getMessage());
        IpamException other = fails("{\"cniVersion\":\"1.0.0\",\"name\":\"x\",\"ipam\":{\"type\":\"static\"}}");
        assertEquals(7, other.code());
        assertEquals("only interested in networks whose IPAM type is 'whereabouts'. This one was: static", other.getMessage());
    }

    @Test
    void rangeAsCidrWithHostBits() {
        RangeConfig r = ipam("\"range\":\"192.168.2.230/24\"").ranges().getFirst();
        assertEquals(Cidr.parse("192.168.2.0/24"), r.range());
        assertEquals(Optional.empty(), r.start());
    }

    @Test
    void rangeInStartDashCidrForm() {
        RangeConfig r = ipam("\"range\":\"192.168.2.225-192.168.2.230/28\"").ranges().getFirst();
        assertEquals(Cidr.parse("192.168.2.224/28"), r.range());
        assertEquals(Optional.of(ip("192.168.2.225")), r.start());
        assertEquals(Optional.of(ip("192.168.2.230")), r.end());
    }

    @Test
    void rangeErrors() {
        assertTrue(fails(net("\"range\":\"10.0.0.0/33\"")).getMessage().startsWith("invalid CIDR 10.0.0.0/33:"));
        assertTrue(fails(net("\"range\":\"10.0.0.1-10.0.0.9\"")).getMessage()
                .startsWith("invalid CIDR (do you have the 'range' parameter set for Whereabouts?) '10.0.0.9':"));
        assertEquals("invalid range start IP: 10.0.0.x", fails(net("\"range\":\"10.0.0.x-10.0.0.9/24\"")).getMessage());
        assertEquals("invalid range start for CIDR 10.0.1.0/24: 10.0.0.5",
                fails(net("\"range\":\"10.0.0.5-10.0.1.9/24\"")).getMessage());
        for (String tiny : List.of("10.0.0.0/31", "10.0.0.0/32", "fd00::/127", "fd00::/128")) {
            IpamException e = fails(net("\"range\":\"" + tiny + "\""));
            assertEquals(7, e.code());
            assertTrue(e.getMessage().startsWith("net mask is too short"), e.getMessage());
            assertTrue(e.details().contains(tiny), e.details());
        }
    }

    @Test
    void rangeStartAndEndAreSloppyAtTheTopLevel() {
        RangeConfig r = ipam("\"range\":\"00192.00168.1.0/24\",\"range_start\":\"00192.00168.1.44\",\"range_end\":\"00192.00168.01.209\"")
                .ranges().getFirst();
        assertEquals(Cidr.parse("192.168.1.0/24"), r.range());
        assertEquals(Optional.of(ip("192.168.1.44")), r.start());
        assertEquals(Optional.of(ip("192.168.1.209")), r.end());
        RangeConfig dropped = ipam("\"range\":\"10.0.0.0/24\",\"range_start\":\"nonsense\",\"range_end\":\"10.0.0.x\"").ranges().getFirst();
        assertEquals(Optional.empty(), dropped.start());
        assertEquals(Optional.empty(), dropped.end());
    }

    @Test
    void rangeStartOutsideTheRangeOrOfTheOtherFamilyIsRejected() {
        IpamException outside = fails(net("\"range\":\"10.0.0.0/24\",\"range_start\":\"10.0.1.5\""));
        assertEquals(7, outside.code());
        assertTrue(outside.details().contains("range_start") && outside.details().contains("10.0.1.5"), outside.details());
        IpamException family = fails(net("\"range\":\"10.0.0.0/24\",\"range_end\":\"fd00::5\""));
        assertTrue(family.details().contains("range_end") && family.details().contains("family"), family.details());
    }

    @Test
    void excludeTakesCidrsAndBareAddresses() {
        RangeConfig r = ipam("\"range\":\"10.0.0.0/24\",\"exclude\":[\"10.0.0.0/28\",\"10.0.0.77\",\"fd00::1/128\"]").ranges().getFirst();
        assertEquals(List.of(Cidr.parse("10.0.0.0/28"), Cidr.parse("10.0.0.77/32")), r.exclude());
        assertEquals(List.of("10.0.0.0/28", "10.0.0.77", "fd00::1/128"), r.excludeText());
        IpamException bad = fails(net("\"range\":\"fd00::/64\",\"exclude\":[\"100::2::1\"]"));
        assertEquals(7, bad.code());
        assertTrue(bad.getMessage().startsWith("could not parse exclude range"), bad.getMessage());
        assertTrue(bad.details().contains("100::2::1"));
    }

    @Test
    void ipRangesFollowTheTopLevelRange() {
        IpamSection s = ipam("\"range\":\"abcd::1/64\",\"ipRanges\":[{\"range\":\"192.168.10.1/24\",\"range_start\":\"192.168.10.5\","
                + "\"range_end\":\"192.168.10.9\",\"exclude\":[\"192.168.10.6\"],\"gateway\":\"192.168.10.254\"}]");
        assertEquals(List.of(Cidr.parse("abcd::/64"), Cidr.parse("192.168.10.0/24")),
                s.ranges().stream().map(RangeConfig::range).toList());
        RangeConfig second = s.ranges().get(1);
        assertEquals(Optional.of(ip("192.168.10.5")), second.start());
        assertEquals(Optional.of(ip("192.168.10.9")), second.end());
        assertEquals(List.of(Cidr.parse("192.168.10.6/32")), second.exclude());
        assertEquals(Optional.of(ip("192.168.10.254")), second.gateway());
    }

    @Test
    void ipRangesBoundsAreStrict() {
        IpamException e = fails(net("\"ipRanges\":[{\"range\":\"10.0.0.0/24\",\"range_start\":\"010.0.0.5\"}]"));
        assertEquals(7, e.code());
        assertTrue(e.details().contains("ipRanges[0].range_start"), e.details());
        assertTrue(fails(net("\"ipRanges\":[{\"range_start\":\"10.0.0.5\"}]")).details().contains("ipRanges[0].range"));
        assertTrue(fails(net("\"ipRanges\":[\"10.0.0.0/24\"]")).details().contains("ipRanges[0]"));
    }

    @Test
    void topLevelGatewayAppliesToItsOwnFamilyOnly() {
        IpamSection s = ipam("\"range\":\"10.0.0.0/24\",\"gateway\":\"10.0.0.1\",\"ipRanges\":[{\"range\":\"fd00::/64\"},"
                + "{\"range\":\"10.1.0.0/24\",\"gateway\":\"10.1.0.1\"}]");
        assertEquals(Optional.of(ip("10.0.0.1")), s.gateway());
        assertEquals(Optional.of(ip("10.0.0.1")), s.ranges().get(0).gateway());
        assertEquals(Optional.empty(), s.ranges().get(1).gateway());
        assertEquals(Optional.of(ip("10.1.0.1")), s.ranges().get(2).gateway());
        assertEquals("couldn't parse gateway IP: 10.0.0.x", fails(net("\"gateway\":\"10.0.0.x\"")).getMessage());
        assertEquals(7, fails(net("\"ipRanges\":[{\"range\":\"fd00::/64\",\"gateway\":\"10.0.0.1\"}]")).code());
    }

    @Test
    void routesAndDnsAreKeptAsWritten() {
        IpamSection s = ipam("\"routes\":[{\"dst\":\"0.0.0.0/0\"},{\"dst\":\"192.168.0.0/16\",\"gw\":\"10.1.0.254\"}],"
                + "\"dns\":{\"nameservers\":[\"10.1.0.1\"],\"domain\":\"example.com\"}");
        assertEquals(2, s.routes().size());
        assertEquals("10.1.0.254", s.routes().get(1).get("gw"));
        assertEquals("example.com", s.dns().get("domain"));
        assertEquals(Map.of(), ipam("").dns());
        assertEquals(7, fails(net("\"routes\":[{\"dst\":\"nowhere\"}]")).code());
        assertEquals(7, fails(net("\"routes\":[{\"dst\":\"0.0.0.0/0\",\"gw\":\"x\"}]")).code());
    }

    @Test
    void staticAddresses() {
        IpamSection s = ipam("\"addresses\":[{\"address\":\"10.10.0.1/24\",\"gateway\":\"10.10.0.254\"},{\"address\":\"3ffe:ffff:0:01ff::1/64\"}]");
        assertEquals(Cidr.parse("10.10.0.1/24"), s.addresses().get(0).address());
        assertEquals(Optional.of(ip("10.10.0.254")), s.addresses().get(0).gateway());
        assertEquals(Optional.empty(), s.addresses().get(1).gateway());
        assertTrue(fails(net("\"addresses\":[{\"address\":\"10.10.0.1\"}]")).getMessage().startsWith("invalid CIDR in addresses 10.10.0.1"));
        String two = "{\"cniVersion\":\"0.2.0\",\"name\":\"x\",\"ipam\":{\"type\":\"whereabouts\",\"addresses\":"
                + "[{\"address\":\"10.10.0.1/24\"},{\"address\":\"10.10.1.1/24\"}]}}";
        assertEquals("CNI version 0.2.0 does not support more than 1 address per family", fails(two).getMessage());
    }

    @Test
    void cniArgsAddStaticAddressesAndGateways() {
        NetworkConfig n = loader.load(net("").getBytes(StandardCharsets.UTF_8),
                "IgnoreUnknown=1;IP=10.20.0.5/24,fd00::5/64;GATEWAY=10.20.0.1", Map.of());
        assertEquals(List.of(Cidr.parse("10.20.0.5/24"), Cidr.parse("fd00::5/64")),
                n.ipam().addresses().stream().map(a -> a.address()).toList());
        assertEquals(Optional.of(ip("10.20.0.1")), n.ipam().addresses().get(0).gateway());
        assertEquals(Optional.empty(), n.ipam().addresses().get(1).gateway());
        assertThrows(IpamException.class, () -> loader.load(net("").getBytes(StandardCharsets.UTF_8), "IP=10.20.0.5", Map.of()));
    }
}
