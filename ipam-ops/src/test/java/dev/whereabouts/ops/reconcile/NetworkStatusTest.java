package dev.whereabouts.ops.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.IpAddress;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NetworkStatusTest {

    @Test
    void splitsDefaultAndSecondaryEntriesOfEveryInterfaceName() {
        String json = """
                [{"name":"cbr0","interface":"eth0","ips":["10.244.1.5"],"default":true,"dns":{}},
                 {"name":"default/macvlan","interface":"net1","ips":["192.168.1.10","fd00::a"]},
                 {"name":"other/sriov","interface":"data0","ips":["192.168.2.7/24"],"default":false}]""";
        NetworkStatus.Ips ips = NetworkStatus.parse(json).orElseThrow();
        assertEquals(Set.of(IpAddress.parse("10.244.1.5")), ips.primary());
        // Interfaces need not be called net* (upstream #130).
        assertEquals(Set.of(IpAddress.parse("192.168.1.10"), IpAddress.parse("fd00::a"), IpAddress.parse("192.168.2.7")),
                ips.secondary());
    }

    @Test
    void missingOrUnreadableMeansUnknownNotEmpty() {
        assertTrue(NetworkStatus.parse(null).isEmpty());
        assertTrue(NetworkStatus.parse("").isEmpty());
        assertTrue(NetworkStatus.parse("not json").isEmpty());
        assertTrue(NetworkStatus.parse("{}").isEmpty());
        assertTrue(NetworkStatus.parse("[]").isEmpty());
    }

    @Test
    void skipsAddressesItCannotParse() {
        NetworkStatus.Ips ips = NetworkStatus.parse("[{\"name\":\"a\",\"ips\":[\"bogus\",\"10.0.0.1\"]}]").orElseThrow();
        assertEquals(Set.of(IpAddress.parse("10.0.0.1")), ips.secondary());
    }
}
