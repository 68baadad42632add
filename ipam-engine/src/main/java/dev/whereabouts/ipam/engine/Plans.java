package dev.whereabouts.ipam.engine;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.InvalidConfigException;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.engine.alloc.RangePlan;
import dev.whereabouts.ipam.engine.config.NetworkConfig;
import dev.whereabouts.ipam.engine.config.Ipv4Namespaces;
import dev.whereabouts.ipam.engine.config.NodeRange;
import dev.whereabouts.ipam.engine.config.NodeRangesConfig;
import dev.whereabouts.ipam.engine.config.RangeConfig;
import dev.whereabouts.ipam.spi.NodeFacts;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns configured ranges into pools: the range itself, or this node's slice of it in node-slice mode. */
final class Plans {

    private static final Logger LOG = LoggerFactory.getLogger(Plans.class);

    private Plans() {}

    /**
     * The ranges to take one address from each: the configured ones, or with {@code node_ranges} the
     * node's own ranges, read at every call so a changed Node is followed.
     */
    static List<RangeConfig> ranges(NetworkConfig n, ClusterNodes nodes) {
        Optional<NodeRangesConfig> fromNode = n.ipam().nodeRanges();
        if (fromNode.isEmpty()) {
            return n.ipam().ranges();
        }
        NodeRangesConfig config = fromNode.get();
        String node = nodes.nodeName();
        NodeFacts facts = nodes.source("node_ranges").node(node, config.annotation()).orElseThrow(
                () -> new IpamException(IpamException.TRY_AGAIN_LATER, "node " + node + " not found",
                        "node_ranges: there is no Node object named '" + node + "'"));
        List<NodeRange> ranges = config.parse(node, facts.podCidrs(), facts.annotation());
        if (ranges.isEmpty()) {
            throw new IpamException(IpamException.TRY_AGAIN_LATER, "node " + node + " has no pod CIDRs yet",
                    "node_ranges: spec.podCIDRs is not set");
        }
        return ranges.stream().map(r -> config.rangeFor(node, r, n.ipam().gateway())).toList();
    }

    /**
     * The pools of every configured range on this node, for a release that cannot learn them from
     * the journal. A range whose pool cannot be known now (the Node unreadable, a slice not
     * assigned) is logged and left out: {@code call} names the release in that message.
     */
    static Set<PoolKey> configuredPools(NetworkConfig n, ClusterNodes nodes, String call) {
        Set<PoolKey> pools = new LinkedHashSet<>();
        List<RangeConfig> ranges = List.of();
        try {
            ranges = ranges(n, nodes);
        } catch (IpamException e) {
            LOG.warn("{}: the node's ranges are unknown, releasing in the journalled pools only: {}", call,
                    e.getMessage());
        }
        for (RangeConfig r : ranges) {
            try {
                pools.add(plan(n, r, nodes).key());
            } catch (IpamException e) {
                LOG.warn("{}: no pool for range {}: {}", call, r.range(), e.getMessage());
            }
        }
        return pools;
    }

    /**
     * The ranges a pod gets addresses from: with {@code ipv4_namespaces}, the IPv4 ones only for pods
     * of those namespaces. DEL never filters, so an address handed out before a change of the list is
     * still released.
     */
    static List<RangeConfig> forPod(NetworkConfig n, List<RangeConfig> ranges) {
        Optional<Ipv4Namespaces> v4 = n.ipam().ipv4Namespaces();
        String namespace = n.args().podNamespace();
        if (v4.isEmpty() || v4.get().allowsIpv4(namespace)) {
            return ranges;
        }
        List<RangeConfig> v6 = ranges.stream().filter(r -> r.range().v6()).toList();
        if (v6.isEmpty()) {
            throw new InvalidConfigException("no address for this pod: only namespaces "
                    + new TreeSet<>(v4.get().namespaces()) + " get IPv4, and this network has no IPv6 range",
                    "ipam.ipv4_namespaces", String.join(",", new TreeSet<>(v4.get().namespaces())),
                    "pod namespace '" + namespace + "' is not listed");
        }
        return v6;
    }

    static RangePlan plan(NetworkConfig n, RangeConfig r, ClusterNodes nodes) {
        String networkName = n.ipam().networkName();
        if (n.ipam().nodeRanges().isPresent()) {
            // Node CIDRs are the node's own: its name in the key keeps the pool names of two nodes
            // apart even if an operator hands out overlapping CIDRs by mistake.
            PoolKey key = new PoolKey(r.range(), networkName, nodes.nodeName());
            return RangePlan.of(key, r.range(), r.start(), r.end(), excludingGateway(r, r.range()), r.excludeText());
        }
        if (n.ipam().nodeSliceSize().isEmpty()) {
            return RangePlan.of(PoolKey.of(r.range(), networkName), r.range(), r.start(), r.end(),
                    excludingGateway(r, r.range()), r.excludeText());
        }
        String node = nodes.nodeName();
        String poolName = networkName.isEmpty() ? n.name() : networkName;
        Cidr slice = nodes.source("node_slice_size").nodeSlice(poolName, node).orElseThrow(() -> new IpamException(
                IpamException.TRY_AGAIN_LATER, "no allocated node slice for node " + node,
                "node slice pool '" + poolName + "' has no slice for node '" + node + "' yet"));
        if (!r.range().contains(slice.canonical())) {
            throw new IpamException(IpamException.TRY_AGAIN_LATER, "node slice " + slice + " of node " + node
                    + " is outside range " + r.range(), "node slice pool '" + poolName + "'");
        }
        PoolKey key = new PoolKey(slice, networkName, node);
        return RangePlan.of(key, slice, r.start(), r.end(), excludingGateway(r, slice), r.excludeText());
    }

    /**
     * The configured excludes plus the range's gateway. Upstream hands the gateway to a pod when the
     * window reaches it, which breaks that pod and the network's router alike; host-local never does.
     * A pod that already holds the gateway address keeps it on a re-ADD, because an idempotent match
     * comes before the search for a free address.
     */
    static List<Cidr> excludingGateway(RangeConfig r, Cidr allocatedFrom) {
        return r.gateway().filter(allocatedFrom::contains)
                .map(gw -> Stream.concat(r.exclude().stream(), Stream.of(Cidr.ofHost(gw))).toList())
                .orElse(r.exclude());
    }
}
