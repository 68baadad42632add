package dev.whereabouts.ipam.spi;

import dev.whereabouts.ipam.api.Cidr;
import java.util.List;
import java.util.Optional;

/**
 * An optional capability of a store that knows the cluster's nodes (the Kubernetes store): ranges
 * that come from the cluster instead of the configuration. The engine uses it when a store
 * implements it and the configuration asks for node slices or node ranges.
 *
 * @since 0.1
 */
public interface NodeRangeSource {

    /**
     * The slice assigned to {@code nodeName} in the node-slice pool {@code poolName}
     * (upstream's {@code NodeSlicePool}), or empty when the node has none yet.
     */
    Optional<Cidr> nodeSlice(String poolName, String nodeName);

    /**
     * The ranges of a node: the CIDRs in the annotation {@code annotation} when it is set and
     * non-empty (comma-separated or a JSON list), else {@code spec.podCIDRs}.
     */
    List<Cidr> nodeRanges(String nodeName, String annotation);
}
