package dev.whereabouts.ipam.engine.alloc;

import dev.whereabouts.ipam.api.IpAddress;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the lowest address of a plan that is neither allocated, excluded nor in a skip set.
 *
 * <p>It never steps through addresses one by one. A pool that is one dense block from the first
 * candidate is recognised in O(log n) and skipped whole. Otherwise a taken address starts a walk along the sorted
 * allocations that only advances while they stay contiguous, and an excluded address jumps past
 * the whole excluded interval. The cost is the number of allocations in the way, with plain
 * 128-bit arithmetic on two longs, so the full IPv6 space works.
 */
public final class LowestFree {

    private LowestFree() {}

    /**
     * The lowest free address, or empty when the window is exhausted.
     *
     * @param allocated the pool's allocations, sorted
     * @param skip addresses found reserved elsewhere (overlapping ranges) during this call
     */
    public static Optional<IpAddress> find(RangePlan plan, NavigableMap<IpAddress, ?> allocated, Set<IpAddress> skip) {
        IpAddress candidate = plan.first();
        IpAddress last = plan.last();
        NavigableMap<IpAddress, IpAddress> excludes = plan.excludes();
        IpAddress blockEnd = denseBlockEnd(plan, allocated);
        if (blockEnd != null) {
            if (blockEnd.compareTo(last) >= 0) {
                return Optional.empty();
            }
            candidate = blockEnd.next();
        }
        while (candidate.compareTo(last) <= 0) {
            Map.Entry<IpAddress, IpAddress> ex = excludes.floorEntry(candidate);
            if (ex != null && ex.getValue().compareTo(candidate) >= 0) {
                if (ex.getValue().compareTo(last) >= 0) {
                    return Optional.empty();
                }
                candidate = ex.getValue().next();
                continue;
            }
            if (skip.contains(candidate)) {
                if (candidate.equals(last)) {
                    return Optional.empty();
                }
                candidate = candidate.next();
                continue;
            }
            if (!allocated.containsKey(candidate)) {
                return Optional.of(candidate);
            }
            candidate = endOfRun(allocated, candidate);
            if (candidate == null) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * The usual shape of a busy pool is one dense block from the first candidate (addresses are
     * handed out lowest first and holes are refilled first). That shape is recognised without
     * walking it: every key lies in [first, last], none lies in an excluded interval, and the number
     * of keys equals the number of non-excluded addresses between the first and the last key. Then
     * nothing below the last key is free. Costs O(log n) per exclude interval; null when the pool
     * has another shape.
     */
    private static IpAddress denseBlockEnd(RangePlan plan, NavigableMap<IpAddress, ?> allocated) {
        if (allocated.isEmpty()) {
            return null;
        }
        IpAddress lo = allocated.firstKey();
        IpAddress hi = allocated.lastKey();
        if (!lo.equals(plan.first()) || hi.compareTo(plan.last()) > 0) {
            return null;
        }
        BigInteger free = hi.offsetFrom(lo).add(BigInteger.ONE);
        for (Map.Entry<IpAddress, IpAddress> ex : plan.excludes().subMap(plan.excludes().floorKey(lo) == null ? lo
                : plan.excludes().floorKey(lo), true, hi, true).entrySet()) {
            IpAddress from = ex.getKey().compareTo(lo) > 0 ? ex.getKey() : lo;
            IpAddress to = ex.getValue().compareTo(hi) < 0 ? ex.getValue() : hi;
            if (from.compareTo(to) > 0) {
                continue;
            }
            if (!allocated.subMap(from, true, to, true).isEmpty()) {
                return null;
            }
            free = free.subtract(to.offsetFrom(from).add(BigInteger.ONE));
        }
        return free.equals(BigInteger.valueOf(allocated.size())) ? hi : null;
    }

    /** The first address after the contiguous run of allocations starting at {@code start}, or null at the end of the family. */
    private static IpAddress endOfRun(NavigableMap<IpAddress, ?> allocated, IpAddress start) {
        boolean v6 = start.v6();
        long hi = start.high();
        long lo = start.low();
        long loLimit = v6 ? -1L : 0xFFFF_FFFFL;
        Iterator<IpAddress> it = allocated.tailMap(start, true).keySet().iterator();
        while (it.hasNext()) {
            IpAddress k = it.next();
            if (k.high() != hi || k.low() != lo) {
                break;
            }
            if (lo == loLimit) {
                if (!v6 || hi == -1L) {
                    return null;
                }
                hi++;
                lo = 0;
            } else {
                lo++;
            }
        }
        return new IpAddress(v6, hi, lo);
    }
}
