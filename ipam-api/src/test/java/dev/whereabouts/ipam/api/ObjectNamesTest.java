package dev.whereabouts.ipam.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Names from upstream's tests and code (shared/reference/vectors/naming_and_encoding.json). */
class ObjectNamesTest {

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
        "'', '', 10.0.0.0/8, 10.0.0.0-8",
        "test, '', 10.0.0.0/8, test-10.0.0.0-8",
        "'', testnode, 10.0.0.0/8, testnode-10.0.0.0-8",
        "testnetwork, testnode, 10.0.0.0/8, testnetwork-testnode-10.0.0.0-8",
        "'', '', 10.11.88.96/28, 10.11.88.96-28",
        "'', '', caa5::/64, caa5---64",
        "'', '', 2001::1/116, 2001---116",
        "'', '', fd00:0:0:10::/64, fd00-0-0-10---64",
        "net-a, '', 192.168.2.0/24, net-a-192.168.2.0-24",
    })
    void poolNamesMatchUpstream(String network, String node, String range, String expected) {
        assertEquals(expected, new PoolKey(Cidr.parse(range), network, node).objectName());
    }

    @ParameterizedTest
    @CsvSource({
        "'', 192.168.22.1, 192.168.22.1",
        "'', 2001::2:3:1, 2001--2-3-1",
        "'', 2001:db8::, 2001-db8--0",
        "net1, 10.0.0.1, net1-10.0.0.1",
    })
    void reservationNamesMatchUpstream(String network, String ip, String expected) {
        Owner owner = new Owner("c", "net1", "ns/pod");
        assertEquals(expected, new Reservation(network, IpAddress.parse(ip), owner).objectName());
    }
}
