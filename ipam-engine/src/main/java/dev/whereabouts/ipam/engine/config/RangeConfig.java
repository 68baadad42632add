package dev.whereabouts.ipam.engine.config;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One range to allocate from, after loading: the canonical network, the optional first and last
 * candidate, the excluded networks, and the gateway returned with its addresses.
 *
 * @param range canonical network, never a /31, /32, /127 or /128
 * @param start first candidate as configured (the allocator ignores it outside the usable window)
 * @param end last candidate as configured (ignored outside [start, last usable])
 * @param exclude networks never handed out, same family as {@code range}
 * @param excludeText the exclude entries as written, for the exhaustion message
 * @param gateway gateway returned with addresses of this range
 */
public record RangeConfig(Cidr range, Optional<IpAddress> start, Optional<IpAddress> end, List<Cidr> exclude,
        List<String> excludeText, Optional<IpAddress> gateway) {

    /** Copies the lists and keeps the range canonical. */
    public RangeConfig {
        range = Objects.requireNonNull(range, "range").canonical();
        exclude = List.copyOf(exclude);
        excludeText = List.copyOf(excludeText);
    }

    /** A range with no start, end, excludes or gateway. */
    public static RangeConfig of(Cidr range) {
        return new RangeConfig(range, Optional.empty(), Optional.empty(), List.of(), List.of(), Optional.empty());
    }

    /** This range with the given gateway. */
    public RangeConfig withGateway(Optional<IpAddress> gw) {
        return new RangeConfig(range, start, end, exclude, excludeText, gw);
    }
}
