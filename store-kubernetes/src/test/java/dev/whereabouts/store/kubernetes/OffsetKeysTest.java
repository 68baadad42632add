package dev.whereabouts.store.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OffsetKeysTest {

    static Optional<IpAddress> decode(String range, String key) {
        return OffsetKeys.decode(Cidr.parse(range), key);
    }

    static String encode(String range, String ip) {
        return OffsetKeys.encode(Cidr.parse(range), IpAddress.parse(ip));
    }

    @Test
    void keysAreDecimalOffsetsFromTheRangeAddressAsWritten() {
        assertEquals("1", encode("192.168.1.0/24", "192.168.1.1"));
        assertEquals(Optional.of(IpAddress.parse("192.168.1.1")), decode("192.168.1.0/24", "1"));
        // base is the text of spec.range, not the masked network (upstream's reconciler fixture)
        assertEquals(Optional.of(IpAddress.parse("10.10.10.2")), decode("10.10.10.0/16", "2"));
        assertEquals(Optional.of(IpAddress.parse("192.168.2.0")), decode("192.168.2.0/24", "0"));
    }

    @Test
    void offsetsOf2To63AndMoreAreWrittenAndRead() {
        assertEquals("14602077366818701312", encode("caa5::/64", "caa5::caa5:0:0:0"));
        assertEquals(Optional.of(IpAddress.parse("caa5::caa5:0:0:0")), decode("caa5::/64", "14602077366818701312"));
        assertEquals("18446744073709551615", encode("caa5::/64", "caa5::ffff:ffff:ffff:ffff"));
    }

    @Test
    void rangesWiderThan64BitsUseTheFull128BitOffset() {
        assertEquals("18446744073709551621", encode("2001:db8::/48", "2001:db8:0:1::5"));
        assertEquals(Optional.of(IpAddress.parse("2001:db8:0:1::5")), decode("2001:db8::/48", "18446744073709551621"));
        assertEquals(Optional.of(IpAddress.parse("2001:db8::5")), decode("2001:db8::/48", "5"));
    }

    @Test
    void negativeLegacyKeysAreTheirUnsigned64BitValue() {
        assertEquals(Optional.of(IpAddress.parse("caa5::ffff:ffff:ffff:ffff")), decode("caa5::/64", "-1"));
        assertEquals(Optional.of(IpAddress.parse("caa5::caa5:0:0:0")),
                decode("caa5::/64", String.valueOf(Long.parseUnsignedLong("14602077366818701312"))));
    }

    @Test
    void anAddressBelowAHandMadeBaseGetsANegativeKeyThatReadsBack() {
        assertEquals("-2559", encode("10.10.10.0/16", "10.10.0.1"));
        assertEquals(Optional.of(IpAddress.parse("10.10.0.1")), decode("10.10.10.0/16", "-2559"));
        assertEquals("-5", encode("fd00::10/64", "fd00::b"));
        assertEquals(Optional.of(IpAddress.parse("fd00::b")), decode("fd00::10/64", "-5"));
    }

    @Test
    void keysThatAreNotOffsetsAreSkipped() {
        for (String bad : new String[] {"", "abc", "1.5", "+1", " 1", "99999999999999999999999999999999999999999999"}) {
            assertTrue(decode("10.0.0.0/24", bad).isEmpty(), bad);
        }
        assertTrue(decode("10.0.0.0/24", "4294967296").isEmpty());
    }
}
