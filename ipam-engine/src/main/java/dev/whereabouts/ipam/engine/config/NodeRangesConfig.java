package dev.whereabouts.ipam.engine.config;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import java.util.List;
import java.util.Optional;

/**
 * {@code node_ranges}: the ranges come from this node's Node object instead of {@code range} and
 * {@code ipRanges}, as the Nordix kube-node IPAM takes them: the CIDRs in the annotation
 * {@code annotation} when the node carries it, else {@code spec.podCIDRs}. One address is taken from
 * each CIDR (so a dual-stack node gets one of each family). The top-level {@code exclude} and
 * {@code gateway} apply inside each CIDR they fall in.
 *
 * @param annotation the annotation to read first, or {@code ""} for {@code spec.podCIDRs} only
 * @param exclude the top-level {@code exclude} entries as written
 */
public record NodeRangesConfig(String annotation, List<String> exclude) {

    /** Copies the list. */
    public NodeRangesConfig {
        exclude = List.copyOf(exclude);
    }

    /** The range to allocate from for one of the node's CIDRs. */
    public RangeConfig rangeFor(Cidr cidr, Optional<IpAddress> gateway) {
        List<String> inside = exclude.stream().filter(e -> {
            Cidr c = RangeParser.parseExclude(e);
            return c.v6() == cidr.v6() && cidr.canonical().overlaps(c);
        }).toList();
        Optional<IpAddress> gw = gateway.filter(g -> g.v6() == cidr.v6() && cidr.contains(g));
        return RangeParser.parse("node range", cidr.canonical().toString(), Optional.empty(), Optional.empty(),
                inside, gw, true);
    }
}
