package dev.whereabouts.bench.engine;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.SortedAllocations;
import dev.whereabouts.ipam.engine.alloc.LowestFree;
import dev.whereabouts.ipam.engine.alloc.RangePlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * How long the engine takes to find the lowest free address in a large, busy pool: the target is
 * well under 1 ms for a /16 with 60,000 allocations and an IPv6 /64 with 100,000.
 *
 * <p>Layouts: {@code dense} is one contiguous block of allocations from the first usable address,
 * the usual shape of a busy pool, which the allocator crosses with one binary search;
 * {@code dense-excludes} interleaves 64 excluded /28s (v4) or /120s (v6) with the block;
 * {@code hole} frees the second-to-last address of the block, the case that used to force a walk
 * across every allocation and now costs one binary search over them.
 *
 * <p>Run: see the package documentation ({@code package-info.java}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LowestFreeBenchmark {

    /** Which pool to search. */
    @Param({"v4-slash16-60000-dense", "v4-slash16-60000-dense-excludes", "v4-slash16-60000-hole",
        "v6-slash64-100000-dense", "v6-slash64-100000-dense-excludes", "v6-slash64-100000-hole"})
    public String layout;

    private RangePlan plan;
    private SortedAllocations allocations;
    private TreeMap<IpAddress, Owner> decoded;

    /** Builds the pool once per trial. */
    @Setup
    public void setUp() {
        boolean v6 = layout.startsWith("v6");
        Cidr range = Cidr.parse(v6 ? "fd00:10:20:30::/64" : "10.20.0.0/16");
        int count = v6 ? 100_000 : 60_000;
        List<Cidr> excludes = new ArrayList<>();
        if (layout.endsWith("-excludes")) {
            int every = count / 64;
            for (int i = 1; i <= 64; i++) {
                IpAddress at = range.network().plus((long) i * every);
                excludes.add(new Cidr(at, v6 ? 120 : 28).canonical());
            }
        }
        plan = RangePlan.of(PoolKey.of(range, ""), range, Optional.empty(), Optional.empty(), excludes,
                excludes.stream().map(Cidr::toString).toList());
        TreeMap<IpAddress, Owner> map = new TreeMap<>();
        IpAddress ip = plan.first();
        Owner owner = new Owner("c", "net1", "ns/pod");
        while (map.size() < count) {
            IpAddress candidate = ip;
            if (excludes.stream().noneMatch(e -> e.contains(candidate))) {
                map.put(ip, owner);
            }
            ip = ip.next();
        }
        if (layout.endsWith("-hole")) {
            // One extra allocation at the end and one hole just before it: the only free address sits
            // behind a run of every other allocation, which the old linear walk had to cross whole.
            map.put(ip, owner);
            map.remove(map.lowerKey(ip));
        }
        // The same array-backed copy a store's PoolSnapshot hands to the engine.
        decoded = map;
        allocations = SortedAllocations.copyOf(map);
        if (LowestFree.find(plan, allocations, Set.of()).isEmpty()) {
            throw new IllegalStateException("the pool must still have a free address");
        }
    }

    /** The lowest free address behind every allocation. */
    @Benchmark
    public Optional<IpAddress> lowestFree() {
        return LowestFree.find(plan, allocations, Set.of());
    }

    /**
     * What every store read adds on top of decoding: turning the decoded (sorted) map into the
     * snapshot's arrays. Linear, and paid once per read, not per candidate.
     */
    @Benchmark
    public SortedAllocations snapshotCopy() {
        return SortedAllocations.copyOf(decoded);
    }
}
