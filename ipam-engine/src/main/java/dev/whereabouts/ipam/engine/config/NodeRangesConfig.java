package dev.whereabouts.ipam.engine.config;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.IpamException;
import java.util.List;
import java.util.Optional;

/**
 * {@code node_ranges}: the ranges come from this node's Node object instead of {@code range} and
 * {@code ipRanges}, as the Nordix kube-node IPAM takes them: the ranges in the annotation
 * {@code annotation} when one is configured (the node must carry it), else {@code spec.podCIDRs}.
 * One address is taken from each range (so a dual-stack node gets one of each family). The
 * top-level {@code exclude} and {@code gateway} apply inside each range they fall in.
 *
 * @param annotation the annotation to read, or {@code ""} for {@code spec.podCIDRs}
 * @param exclude the top-level {@code exclude} entries as written
 * @param defaultGateway whether a range without a gateway gets its first address as one, as host-local
 *     does (kube-node and node-annotation delegated to host-local, and their bridges rely on it)
 */
public record NodeRangesConfig(String annotation, List<String> exclude, boolean defaultGateway) {

    /** Copies the list. */
    public NodeRangesConfig {
        exclude = List.copyOf(exclude);
    }

    /** The ranges of the node's {@code spec.podCIDRs} or annotation value. */
    public List<NodeRange> parse(String node, List<String> podCidrs, Optional<String> annotationValue) {
        if (annotation.isEmpty()) {
            return podCidrs.stream().filter(c -> !c.isBlank()).map(NodeRange::of).toList();
        }
        // Never fall back to spec.podCIDRs: a secondary network would get addresses of the pod network.
        String value = annotationValue.filter(v -> !v.isBlank()).orElseThrow(() -> new IpamException(
                IpamException.TRY_AGAIN_LATER, "node " + node + " has no annotation " + annotation,
                "node_ranges: the network takes its ranges from annotation '" + annotation + "' of node '" + node
                        + "'; annotate the node, e.g. kubectl annotate node " + node + " " + annotation
                        + "=10.0.0.0/24"));
        return NodeAnnotation.parse(node, annotation, value);
    }

    /** The range to allocate from for one of the node's ranges. */
    public RangeConfig rangeFor(String node, NodeRange r, Optional<IpAddress> gateway) {
        String field = annotation.isEmpty() ? "node " + node + " spec.podCIDRs" : "node " + node + " annotation "
                + annotation;
        Cidr cidr;
        try {
            cidr = Cidr.parse(r.subnet());
        } catch (IllegalArgumentException e) {
            throw NodeAnnotation.invalid(node, annotation.isEmpty() ? "spec.podCIDRs" : annotation, r.subnet(),
                    "not a CIDR: " + e.getMessage());
        }
        List<String> inside = exclude.stream().filter(e -> {
            Cidr c = RangeParser.parseExclude(e);
            return c.v6() == cidr.v6() && cidr.canonical().overlaps(c);
        }).toList();
        Optional<IpAddress> gw = r.gateway().map(g -> SectionParser.parseIp(field + " gateway", g, "invalid gateway " + g))
                .or(() -> gateway.filter(g -> g.v6() == cidr.v6() && cidr.contains(g)))
                .or(() -> defaultGateway ? Optional.of(cidr.network().next()) : Optional.empty());
        return RangeParser.parse(field, cidr.canonical().toString(), r.start(), r.end(), inside, gw, false);
    }
}
