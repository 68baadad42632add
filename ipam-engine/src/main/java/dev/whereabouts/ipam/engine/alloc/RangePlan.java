package dev.whereabouts.ipam.engine.alloc;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.PoolKey;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where to look for a free address in one pool: the candidate window and the excluded intervals.
 *
 * @param key the pool
 * @param range the network allocated from (a node's slice in node-slice mode)
 * @param first the first candidate
 * @param last the last candidate, inclusive
 * @param excludes excluded intervals, merged and sorted: low end to high end
 * @param excludeText the exclude entries as written, for the exhaustion message
 */
public record RangePlan(PoolKey key, Cidr range, IpAddress first, IpAddress last,
        NavigableMap<IpAddress, IpAddress> excludes, List<String> excludeText) {

    /** Keeps the exclude map unmodifiable. */
    public RangePlan {
        excludes = Collections.unmodifiableNavigableMap(new TreeMap<>(excludes));
        excludeText = List.copyOf(excludeText);
    }

    /**
     * Upstream's window rules: candidates run from network+1 to the last address - 1 (for IPv6 too,
     * the all-ones address is never used); {@code start} counts only inside that window,
     * {@code end} only inside [effective start, last usable]; otherwise each is silently ignored.
     *
     * @throws IllegalArgumentException for a network without usable addresses (/31, /32, /127, /128)
     */
    public static RangePlan of(PoolKey key, Cidr range, Optional<IpAddress> start, Optional<IpAddress> end,
            List<Cidr> exclude, List<String> excludeText) {
        Cidr net = range.canonical();
        if (net.hostBits() < 2) {
            throw new IllegalArgumentException("net mask is too short, subnet " + net
                    + " has no usable IP addresses, it is too small");
        }
        IpAddress lo = net.network().next();
        IpAddress hi = net.lastAddress().previous();
        IpAddress first = start.filter(s -> within(s, lo, hi)).orElse(lo);
        IpAddress last = end.filter(e -> within(e, first, hi)).orElse(hi);
        return new RangePlan(key, net, first, last, merge(exclude), excludeText);
    }

    private static boolean within(IpAddress ip, IpAddress lo, IpAddress hi) {
        return ip.v6() == lo.v6() && ip.compareTo(lo) >= 0 && ip.compareTo(hi) <= 0;
    }

    /** Sorts and merges overlapping or adjacent exclude networks so a floor lookup finds the one that counts. */
    static NavigableMap<IpAddress, IpAddress> merge(List<Cidr> exclude) {
        List<Cidr> sorted = new ArrayList<>(exclude);
        sorted.sort(Comparator.comparing(Cidr::network));
        TreeMap<IpAddress, IpAddress> out = new TreeMap<>();
        IpAddress curLo = null;
        IpAddress curHi = null;
        for (Cidr c : sorted) {
            IpAddress lo = c.network();
            IpAddress hi = c.lastAddress();
            if (curLo != null && (lo.compareTo(curHi) <= 0 || isNext(curHi, lo))) {
                if (hi.compareTo(curHi) > 0) {
                    curHi = hi;
                }
                continue;
            }
            if (curLo != null) {
                out.put(curLo, curHi);
            }
            curLo = lo;
            curHi = hi;
        }
        if (curLo != null) {
            out.put(curLo, curHi);
        }
        return out;
    }

    private static boolean isNext(IpAddress a, IpAddress b) {
        try {
            return a.next().equals(b);
        } catch (ArithmeticException e) {
            return false;
        }
    }

    /** How many addresses the window holds, less the excluded ones (the gateway is one of them). */
    public BigInteger size() {
        BigInteger n = last.offsetFrom(first).add(BigInteger.ONE);
        for (var e : excludes.entrySet()) {
            IpAddress lo = e.getKey().compareTo(first) > 0 ? e.getKey() : first;
            IpAddress hi = e.getValue().compareTo(last) < 0 ? e.getValue() : last;
            if (lo.v6() == first.v6() && lo.compareTo(hi) <= 0) {
                n = n.subtract(hi.offsetFrom(lo).add(BigInteger.ONE));
            }
        }
        return n;
    }

    /** Upstream's exhaustion text. */
    public String exhaustedMessage() {
        return "Could not allocate IP in range: ip: " + first + " / - " + last + " / range: " + range
                + " / excludeRanges: [" + String.join(" ", excludeText) + "]";
    }
}
