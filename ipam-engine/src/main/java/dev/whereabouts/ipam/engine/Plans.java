package dev.whereabouts.ipam.engine;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.engine.alloc.RangePlan;
import dev.whereabouts.ipam.engine.config.NetworkConfig;
import dev.whereabouts.ipam.engine.config.NodeRangesConfig;
import dev.whereabouts.ipam.engine.config.RangeConfig;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.NodeRangeSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Turns configured ranges into pools: the range itself, or this node's slice of it in node-slice mode. */
final class Plans {

    static final Path HOSTNAME = Path.of("/etc/hostname");

    private Plans() {}

    /**
     * The ranges to take one address from each: the configured ones, or with {@code node_ranges} the
     * node's own CIDRs, read from the store at every call so a changed Node is followed.
     */
    static List<RangeConfig> ranges(NetworkConfig n, IpamStore store) {
        Optional<NodeRangesConfig> fromNode = n.ipam().nodeRanges();
        if (fromNode.isEmpty()) {
            return n.ipam().ranges();
        }
        String node = nodeName(n);
        List<Cidr> cidrs = nodeSource(n, store, "node_ranges").nodeRanges(node, fromNode.get().annotation());
        if (cidrs.isEmpty()) {
            throw new IpamException(IpamException.TRY_AGAIN_LATER, "node " + node + " has no pod CIDRs yet",
                    "node_ranges: neither spec.podCIDRs nor annotation '" + fromNode.get().annotation() + "' is set");
        }
        return cidrs.stream().map(c -> fromNode.get().rangeFor(c, n.ipam().gateway())).toList();
    }

    private static NodeRangeSource nodeSource(NetworkConfig n, IpamStore store, String field) {
        if (store instanceof NodeRangeSource nodes) {
            return nodes;
        }
        throw new IpamException(IpamException.INVALID_CONFIG, field + " needs a datastore that knows the cluster's nodes",
                "field 'ipam.datastore' value '" + n.ipam().datastore() + "': this store has no nodes");
    }

    static RangePlan plan(NetworkConfig n, RangeConfig r, IpamStore store) {
        String networkName = n.ipam().networkName();
        if (n.ipam().nodeRanges().isPresent()) {
            // Node CIDRs are the node's own: its name in the key keeps the pool names of two nodes
            // apart even if an operator hands out overlapping CIDRs by mistake.
            PoolKey key = new PoolKey(r.range(), networkName, nodeName(n));
            return RangePlan.of(key, r.range(), r.start(), r.end(), excludingGateway(r, r.range()), r.excludeText());
        }
        if (n.ipam().nodeSliceSize().isEmpty()) {
            return RangePlan.of(PoolKey.of(r.range(), networkName), r.range(), r.start(), r.end(),
                    excludingGateway(r, r.range()), r.excludeText());
        }
        NodeRangeSource nodes = nodeSource(n, store, "node_slice_size");
        String node = nodeName(n);
        String poolName = networkName.isEmpty() ? n.name() : networkName;
        Cidr slice = nodes.nodeSlice(poolName, node).orElseThrow(() -> new IpamException(
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

    /**
     * The node's name: {@code NODENAME}, else the first line of {@code <configuration_path>/nodename}
     * (written by the installer because short host names differ from node names), else
     * {@code /etc/hostname}.
     */
    static String nodeName(NetworkConfig n) {
        String env = n.env().get("NODENAME");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        Optional<String> dir = n.ipam().configurationPath();
        if (dir.isPresent()) {
            Path p = Path.of(dir.get());
            Path file = (Files.isDirectory(p) ? p : p.toAbsolutePath().getParent()).resolve("nodename");
            Optional<String> name = firstLine(file);
            if (name.isPresent()) {
                return name.get();
            }
        }
        return firstLine(HOSTNAME).orElseThrow(() -> new IpamException(IpamException.INVALID_ENVIRONMENT,
                "could not determine the node name", "set NODENAME or write <configuration_path>/nodename"));
    }

    private static Optional<String> firstLine(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            return Files.readAllLines(file).stream().map(String::strip).filter(s -> !s.isEmpty()).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
