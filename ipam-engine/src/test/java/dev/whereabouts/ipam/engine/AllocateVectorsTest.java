package dev.whereabouts.ipam.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import dev.whereabouts.ipam.engine.alloc.Allocator;
import dev.whereabouts.ipam.engine.alloc.Deadline;
import dev.whereabouts.ipam.engine.alloc.RangePlan;
import dev.whereabouts.ipam.engine.config.RangeParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Upstream's allocation vectors ({@code allocate.json}) and range helpers ({@code iphelpers.json}), data driven. */
class AllocateVectorsTest {

    @TestFactory
    Stream<DynamicTest> allocateVectors() {
        return Vectors.cases("allocate.json", "cases").stream()
                .map(c -> DynamicTest.dynamicTest((String) c.get("name"), () -> runAllocate(c)));
    }

    @SuppressWarnings("unchecked")
    private static void runAllocate(Map<String, Object> c) {
        Map<String, Object> in = Vectors.map(c, "input");
        Map<String, Object> expect = Vectors.map(c, "expect");
        Cidr range = Cidr.parse((String) in.get("ipnet"));
        List<String> excludeText = Vectors.list(in, "exclude").stream().map(String.class::cast).toList();
        if (expect.containsKey("errorPrefix") && ((String) expect.get("errorPrefix")).startsWith("could not parse")) {
            IpamException e = assertThrows(IpamException.class,
                    () -> excludeText.forEach(RangeParser::parseExclude));
            assertTrue(e.getMessage().startsWith((String) expect.get("errorPrefix")), e.getMessage());
            return;
        }
        List<Cidr> exclude = excludeText.stream().map(RangeParser::parseExclude).toList();
        PoolKey key = PoolKey.of(range, "");
        RangePlan plan = RangePlan.of(key, range, ip(in.get("rangeStart")), ip(in.get("rangeEnd")), exclude, excludeText);
        TestStore store = new TestStore();
        List<Allocation> existing = new ArrayList<>();
        int n = 0;
        for (Object o : Vectors.list(in, "reservations")) {
            Map<String, Object> r = (Map<String, Object>) o;
            existing.add(new Allocation(IpAddress.parse((String) r.get("ip")), new Owner("other-" + n++, "", (String) r.get("podRef"))));
        }
        if (!existing.isEmpty()) {
            store.commit(key, PoolVersion.ABSENT, new PoolChange(existing, List.of(), List.of(), List.of()));
        }
        Owner owner = new Owner((String) in.get("containerID"), (String) in.get("ifName"), (String) in.get("podRef"));
        Allocator allocator = new Allocator(store, false);
        Deadline deadline = Deadline.after(Duration.ofSeconds(10));
        if (expect.containsKey("errorPrefix")) {
            IpamException e = assertThrows(IpamException.class, () -> allocator.allocate(plan, owner, deadline));
            assertEquals(IpamException.POOL_EXHAUSTED, e.code());
            assertTrue(e.getMessage().startsWith((String) expect.get("errorPrefix")), e.getMessage());
            return;
        }
        IpAddress got = allocator.allocate(plan, owner, deadline).ip();
        assertEquals(IpAddress.parse((String) expect.get("ip")), got);
        Map<IpAddress, Owner> after = store.allocations(key);
        if (expect.containsKey("reservationsAfter")) {
            assertEquals(((Number) expect.get("reservationsAfter")).intValue(), after.size());
        }
        if (expect.containsKey("newReservation")) {
            Map<String, Object> nr = Vectors.map(expect, "newReservation");
            Owner o = after.get(IpAddress.parse((String) nr.get("ip")));
            assertEquals(nr.get("podRef"), o.podRef());
            assertEquals(nr.get("containerID"), o.containerId());
        }
        if (expect.containsKey("lastReservationIP")) {
            assertEquals(owner, after.get(IpAddress.parse((String) expect.get("lastReservationIP"))));
        }
    }

    @TestFactory
    Stream<DynamicTest> rangeHelperVectors() {
        List<String> functions = List.of("GetIPRange", "FirstUsableIP", "LastUsableIP", "HasUsableIPs");
        return Vectors.cases("iphelpers.json", "cases").stream()
                .filter(c -> functions.contains((String) c.get("function")))
                .map(c -> DynamicTest.dynamicTest(c.get("function") + ": " + Vectors.map(c, "source").get("test"),
                        () -> runRange(c)));
    }

    private static void runRange(Map<String, Object> c) {
        Map<String, Object> in = Vectors.map(c, "input");
        Map<String, Object> expect = Vectors.map(c, "expect");
        Cidr cidr = Cidr.parse((String) in.get("cidr"));
        PoolKey key = PoolKey.of(cidr, "");
        String function = (String) c.get("function");
        if (expect.containsKey("errorPrefix") || Boolean.FALSE.equals(expect.get("result"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> RangePlan.of(key, cidr, Optional.empty(), Optional.empty(), List.of(), List.of()));
            assertTrue(e.getMessage().startsWith("net mask is too short"), e.getMessage());
            return;
        }
        RangePlan plan = RangePlan.of(key, cidr, ip(in.get("rangeStart")), ip(in.get("rangeEnd")), List.of(), List.of());
        switch (function) {
            case "GetIPRange" -> {
                if (expect.containsKey("first")) {
                    assertEquals(IpAddress.parse((String) expect.get("first")), plan.first());
                    assertEquals(IpAddress.parse((String) expect.get("last")), plan.last());
                }
            }
            case "FirstUsableIP" -> assertEquals(IpAddress.parse((String) expect.get("ip")), plan.first());
            case "LastUsableIP" -> assertEquals(IpAddress.parse((String) expect.get("ip")), plan.last());
            case "HasUsableIPs" -> assertEquals(Boolean.TRUE, expect.get("result"));
            default -> throw new AssertionError(function);
        }
    }

    private static Optional<IpAddress> ip(Object text) {
        return Optional.ofNullable((String) text).map(IpAddress::parse);
    }
}
