package dev.whereabouts.store.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.Reservation;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/** Pool and reservation files hold every address and owner exactly. */
class PoolFileProperties {

    @Provide
    Arbitrary<IpAddress> addresses() {
        Arbitrary<IpAddress> v4 = Arbitraries.longs().between(0, 0xFFFF_FFFFL).map(IpAddress::ofV4);
        Arbitrary<IpAddress> v6 = Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(IpAddress::ofV6);
        return Arbitraries.oneOf(v4, v6);
    }

    @Provide
    Arbitrary<Owner> owners() {
        Arbitrary<String> text = Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(20),
                Arbitraries.of("", "-", "default/web-0"));
        return Combinators.combine(text, text, text).as(Owner::new);
    }

    @Provide
    Arbitrary<PoolKey> keys() {
        Arbitrary<String> names = Arbitraries.oneOf(Arbitraries.just(""),
                Arbitraries.strings().alpha().numeric().withChars("_.-").ofMinLength(1).ofMaxLength(12)
                        .filter(s -> Character.isLetterOrDigit(s.charAt(0))));
        Arbitrary<Cidr> ranges = addresses().flatMap(ip -> Arbitraries.integers().between(0, ip.bits())
                .map(p -> new Cidr(ip, p)));
        return Combinators.combine(ranges, names, names).as(PoolKey::new);
    }

    @Property(edgeCases = EdgeCasesMode.MIXIN)
    void aPoolFileReadsBackExactly(@ForAll("keys") PoolKey key, @ForAll @LongRange(min = 1) long generation,
            @ForAll List<@From("addresses") IpAddress> ips, @ForAll("owners") Owner owner) {
        TreeMap<IpAddress, Owner> allocations = new TreeMap<>();
        int n = 0;
        for (IpAddress ip : ips) {
            allocations.put(ip, n++ % 2 == 0 ? owner : new Owner("c" + n, "eth0", ""));
        }
        PoolFile pool = new PoolFile(key, generation, "0123abcd", allocations);
        PoolFile back = PoolFile.parse(pool.text());
        assertEquals(pool, back);
        assertEquals(pool.version(), back.version());
        assertNotEquals(pool.version(), pool.next(allocations).version());
    }

    @Property
    void ipv6AddressesBeyondTwoToTheSixtyFourKeepEveryBit(@ForAll long high, @ForAll long low) {
        IpAddress ip = IpAddress.ofV6(high, low);
        PoolKey key = PoolKey.of(Cidr.parse("::/0"), "");
        PoolFile pool = new PoolFile(key, 1, "ab", new TreeMap<>(Map.of(ip, new Owner("c", "eth0", ""))));
        assertEquals(ip, PoolFile.parse(pool.text()).allocations().firstKey());
    }

    @Property
    void aReservationFileReadsBackExactly(@ForAll("addresses") IpAddress ip, @ForAll("owners") Owner owner) {
        Reservation r = new Reservation("net-1", ip, owner);
        assertEquals(r, ReservationText.parse(ReservationText.text(r)));
    }
}
