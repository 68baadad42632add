package dev.whereabouts.ipam.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.engine.alloc.Allocator;
import dev.whereabouts.ipam.engine.alloc.Deadline;
import dev.whereabouts.ipam.engine.alloc.LowestFree;
import dev.whereabouts.ipam.engine.alloc.RangePlan;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Assertions;

/** The allocator against a brute-force model, for small and very large IPv4 and IPv6 ranges. */
class AllocatorProperties {

    @Property
    void lowestFreeEqualsBruteForce(@ForAll("smallRanges") RangeCase rc, @ForAll("offsets") List<Integer> takenOffsets,
            @ForAll("offsets") List<Integer> skipOffsets) {
        RangePlan plan = rc.plan();
        BigInteger size = rc.range().size();
        TreeMap<IpAddress, Owner> allocated = new TreeMap<>();
        Set<BigInteger> taken = new HashSet<>();
        for (int o : takenOffsets) {
            IpAddress ip = rc.range().network().plus(BigInteger.valueOf(o).mod(size));
            allocated.put(ip, owner(o));
            taken.add(ip.toBigInteger());
        }
        Set<IpAddress> skip = new HashSet<>();
        for (int o : skipOffsets) {
            IpAddress ip = rc.range().network().plus(BigInteger.valueOf(o).mod(size));
            skip.add(ip);
            taken.add(ip.toBigInteger());
        }
        assertEquals(rc.modelLowest(taken), LowestFree.find(plan, allocated, skip));
    }

    @Property
    void denseBlocksWithOrWithoutAHoleAreSkippedCorrectly(@ForAll("smallRanges") RangeCase rc,
            @ForAll @IntRange(min = 0, max = 1100) int length, @ForAll @IntRange(min = -1, max = 1100) int hole) {
        RangePlan plan = rc.plan();
        TreeMap<IpAddress, Owner> allocated = new TreeMap<>();
        Set<BigInteger> taken = new HashSet<>();
        BigInteger ip = rc.first();
        for (int i = 0; i < length && ip.compareTo(rc.last()) <= 0; i++, ip = ip.add(BigInteger.ONE)) {
            if (rc.excluded(ip) || i == hole) {
                continue;
            }
            allocated.put(IpAddress.fromBigInteger(rc.range().v6(), ip), owner(i));
            taken.add(ip);
        }
        assertEquals(rc.modelLowest(taken), LowestFree.find(plan, allocated, Set.of()));
    }

    @Property(tries = 100)
    void sequentialAddsGetTheLowestFreeAndNeverRepeat(@ForAll("anyRanges") RangeCase rc,
            @ForAll @IntRange(min = 1, max = 40) int adds, @ForAll("releases") List<Integer> releases) {
        TestStore store = new TestStore();
        Allocator allocator = new Allocator(store, false);
        RangePlan plan = rc.plan();
        Set<BigInteger> held = new HashSet<>();
        List<Owner> owners = new ArrayList<>();
        for (int i = 0; i < adds; i++) {
            Owner owner = owner(i);
            Optional<IpAddress> expected = rc.modelLowest(held);
            if (expected.isEmpty()) {
                IpamException e = Assertions.assertThrows(IpamException.class,
                        () -> allocator.allocate(plan, owner, deadline()));
                assertEquals(IpamException.POOL_EXHAUSTED, e.code());
                assertTrue(e.getMessage().startsWith("Could not allocate IP in range: ip: " + plan.first()), e.getMessage());
                break;
            }
            IpAddress ip = allocator.allocate(plan, owner, deadline()).ip();
            assertEquals(expected.get(), ip);
            assertTrue(rc.inWindow(ip), ip + " outside the window");
            assertFalse(rc.excluded(ip.toBigInteger()), ip + " is excluded");
            assertTrue(held.add(ip.toBigInteger()), "handed out twice: " + ip);
            owners.add(owner);
            if (!releases.isEmpty() && i % 3 == 2) {
                Owner gone = owners.remove(Math.floorMod(releases.get(i % releases.size()), owners.size()));
                List<IpAddress> released = allocator.release(plan.key(), gone.attachment(), deadline());
                assertEquals(1, released.size());
                held.remove(released.getFirst().toBigInteger());
                Optional<IpAddress> next = rc.modelLowest(held);
                assertTrue(next.isPresent() && next.get().compareTo(released.getFirst()) <= 0, "release then ADD reuses the lowest");
            }
        }
        Set<BigInteger> stored = store.allocations(plan.key()).keySet().stream()
                .map(IpAddress::toBigInteger).collect(Collectors.toSet());
        assertEquals(held, stored);
    }

    @Property(tries = 50)
    void aFullRangeIsACleanExhaustion(@ForAll("tinyRanges") RangeCase rc) {
        TestStore store = new TestStore();
        Allocator allocator = new Allocator(store, true);
        RangePlan plan = rc.plan();
        int n = 0;
        while (rc.modelLowest(store.allocations(plan.key()).keySet().stream().map(IpAddress::toBigInteger)
                .collect(Collectors.toSet())).isPresent()) {
            allocator.allocate(plan, owner(n++), deadline());
        }
        int count = n;
        IpamException e = Assertions.assertThrows(IpamException.class,
                () -> allocator.allocate(plan, owner(count), deadline()));
        assertEquals(IpamException.POOL_EXHAUSTED, e.code());
        assertEquals(plan.exhaustedMessage(), e.getMessage());
    }

    @Provide
    Arbitrary<RangeCase> smallRanges() {
        return Arbitraries.oneOf(RangeCase.ranges(false, 22, 30, 4), RangeCase.ranges(true, 118, 126, 4));
    }

    @Provide
    Arbitrary<RangeCase> tinyRanges() {
        return Arbitraries.oneOf(RangeCase.ranges(false, 26, 30, 2), RangeCase.ranges(true, 122, 126, 2));
    }

    @Provide
    Arbitrary<RangeCase> anyRanges() {
        return Arbitraries.oneOf(RangeCase.ranges(false, 8, 30, 3), RangeCase.ranges(true, 0, 126, 3),
                RangeCase.ranges(true, 64, 64, 3), RangeCase.ranges(true, 16, 63, 3));
    }

    @Provide
    Arbitrary<List<Integer>> offsets() {
        return Arbitraries.integers().between(0, 1 << 12).list().ofMaxSize(300);
    }

    @Provide
    Arbitrary<List<Integer>> releases() {
        return Arbitraries.integers().between(0, 1000).list().ofMaxSize(10);
    }

    static Owner owner(int n) {
        return new Owner("c" + n, "net1", "ns/pod-" + n);
    }

    static Deadline deadline() {
        return Deadline.after(Duration.ofSeconds(10));
    }
}
