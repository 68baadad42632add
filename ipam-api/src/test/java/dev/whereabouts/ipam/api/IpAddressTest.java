package dev.whereabouts.ipam.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {

    @ParameterizedTest
    @CsvSource({
        "192.168.1.1, 192.168.1.1",
        "0.0.0.0, 0.0.0.0",
        "255.255.255.255, 255.255.255.255",
        "2001:DB8::1, 2001:db8::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
        "::, ::",
        "::1, ::1",
        "caa5:0:0:0:caa5::0, caa5::caa5:0:0:0",
        "1:0:0:0:0:0:0:0, 1::",
        "::ffff:1.2.3.4, ::ffff:102:304",
        "fd00:0:0:10::, fd00:0:0:10::",
    })
    void printsCanonicalText(String input, String canonical) {
        assertEquals(canonical, IpAddress.parse(input).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.256", "01.2.3.4", "1.2.3.4.5", "1::2::3", "12345::", "g::1",
        "1:2:3:4:5:6:7:8:9", "fe80::1%eth0", "host.example", "1.2.3.-4", " 1.2.3.4", "1.2.3.4 ", "\t::1",
        "1.2.3.\u0664", "fd00::\uFF21", "\uFF11::", "fd00::\u0661"})
    void refusesWhatIsNotAnAddress(String input) {
        assertThrows(IllegalArgumentException.class, () -> IpAddress.parse(input));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.77.0.0/\u0662\u0669", "10.77.0.0/24 ", " 10.77.0.0/24", "fd00::/\uFF16\uFF14", "10.0.0.0/"})
    void cidrPrefixesAreAsciiDigits(String input) {
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse(input));
    }

    @Test
    void arithmeticCarriesAcrossTheSixtyFourBitBoundary() {
        IpAddress ip = IpAddress.parse("2001:db8::ffff:ffff:ffff:ffff");
        assertEquals("2001:db8:0:1::", ip.next().toString());
        assertEquals(ip, ip.next().previous());
        assertEquals(new BigInteger("18446744073709551616"),
                IpAddress.parse("2001:db8:0:1::").offsetFrom(IpAddress.parse("2001:db8::")));
        assertThrows(ArithmeticException.class, () -> IpAddress.parse("255.255.255.255").next());
        assertThrows(ArithmeticException.class, () -> IpAddress.parse("::").previous());
    }

    @Test
    void ordersIpv4BeforeIpv6AndByUnsignedValue() {
        assertTrue(IpAddress.parse("255.255.255.255").compareTo(IpAddress.parse("::")) < 0);
        assertTrue(IpAddress.parse("8000::").compareTo(IpAddress.parse("7fff::")) > 0);
        assertTrue(IpAddress.parse("::8000:0:0:0").compareTo(IpAddress.parse("::7fff:0:0:0")) > 0);
    }

    @Test
    void cidrBoundsCoverTheFull128Bits() {
        Cidr all = Cidr.parse("::/0");
        assertEquals("::", all.network().toString());
        assertEquals("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", all.lastAddress().toString());
        Cidr wide = Cidr.parse("2001:db8::5/48");
        assertEquals("2001:db8::/48", wide.canonical().toString());
        assertEquals("2001:db8:0:ffff:ffff:ffff:ffff:ffff", wide.lastAddress().toString());
        Cidr v4 = Cidr.parse("10.11.88.100/28");
        assertEquals("10.11.88.96", v4.network().toString());
        assertEquals("10.11.88.111", v4.lastAddress().toString());
        assertTrue(v4.contains(IpAddress.parse("10.11.88.111")));
        assertTrue(!v4.contains(IpAddress.parse("10.11.88.112")));
        assertEquals("0.0.0.0", Cidr.parse("1.2.3.4/0").network().toString());
        assertEquals("255.255.255.255", Cidr.parse("1.2.3.4/0").lastAddress().toString());
    }
}
