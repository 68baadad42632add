package dev.whereabouts.ipam.engine;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.engine.alloc.RangePlan;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * A generated range with optional start/end and excludes, plus a brute-force model of upstream's
 * rules in {@link BigInteger} arithmetic, independent of the engine's two-long walk.
 */
record RangeCase(Cidr range, Optional<IpAddress> start, Optional<IpAddress> end, List<Cidr> excludes) {

    RangePlan plan() {
        return RangePlan.of(PoolKey.of(range, ""), range, start, end, excludes,
                excludes.stream().map(Cidr::toString).toList());
    }

    BigInteger lo() {
        return range.network().toBigInteger().add(BigInteger.ONE);
    }

    BigInteger hi() {
        return range.lastAddress().toBigInteger().subtract(BigInteger.ONE);
    }

    BigInteger first() {
        return start.map(IpAddress::toBigInteger).filter(s -> s.compareTo(lo()) >= 0 && s.compareTo(hi()) <= 0).orElse(lo());
    }

    BigInteger last() {
        BigInteger f = first();
        return end.map(IpAddress::toBigInteger).filter(e -> e.compareTo(f) >= 0 && e.compareTo(hi()) <= 0).orElse(hi());
    }

    boolean excluded(BigInteger ip) {
        return excludes.stream().anyMatch(c -> c.canonical().network().toBigInteger().compareTo(ip) <= 0
                && c.canonical().lastAddress().toBigInteger().compareTo(ip) >= 0);
    }

    /** The lowest candidate that is neither excluded nor in {@code taken}: the model answer. */
    Optional<IpAddress> modelLowest(Set<BigInteger> taken) {
        BigInteger cand = first();
        BigInteger last = last();
        while (cand.compareTo(last) <= 0) {
            BigInteger c = cand;
            Optional<Cidr> ex = excludes.stream().filter(x -> x.canonical().network().toBigInteger().compareTo(c) <= 0
                    && x.canonical().lastAddress().toBigInteger().compareTo(c) >= 0).findFirst();
            if (ex.isPresent()) {
                cand = ex.get().canonical().lastAddress().toBigInteger().add(BigInteger.ONE);
            } else if (taken.contains(cand)) {
                cand = cand.add(BigInteger.ONE);
            } else {
                return Optional.of(IpAddress.fromBigInteger(range.v6(), cand));
            }
        }
        return Optional.empty();
    }

    boolean inWindow(IpAddress ip) {
        BigInteger v = ip.toBigInteger();
        return ip.v6() == range.v6() && v.compareTo(first()) >= 0 && v.compareTo(last()) <= 0;
    }

    /** Ranges of {@code minPrefix..maxPrefix} with start, end and up to {@code maxExcludes} excludes inside them. */
    static Arbitrary<RangeCase> ranges(boolean v6, int minPrefix, int maxPrefix, int maxExcludes) {
        int bits = v6 ? 128 : 32;
        Arbitrary<BigInteger> base = Arbitraries.bigIntegers().between(BigInteger.ZERO,
                BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE));
        Arbitrary<Integer> prefix = Arbitraries.integers().between(minPrefix, maxPrefix);
        return Combinators.combine(base, prefix).as((b, p) -> new Cidr(IpAddress.fromBigInteger(v6, b), p).canonical())
                .flatMap(cidr -> {
                    Arbitrary<BigInteger> offset = Arbitraries.bigIntegers().between(BigInteger.ZERO,
                            cidr.size().subtract(BigInteger.ONE));
                    Arbitrary<Optional<IpAddress>> bound = offset.map(o -> cidr.network().plus(o)).optional(0.4);
                    Arbitrary<Cidr> exclude = Combinators.combine(offset,
                                    Arbitraries.integers().between(Math.min(bits, cidr.prefix() + 1), bits))
                            .as((o, p) -> new Cidr(cidr.network().plus(o), p).canonical());
                    return Combinators.combine(bound, bound, exclude.list().ofMaxSize(maxExcludes))
                            .as((s, e, ex) -> new RangeCase(cidr, s, e, ex));
                });
    }
}
