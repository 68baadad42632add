package dev.whereabouts.ipam.spi;

import dev.whereabouts.ipam.api.Cidr;
import java.util.Optional;

/**
 * An optional capability of a store that knows the cluster's nodes (the Kubernetes store): ranges
 * that come from the cluster instead of the configuration. The engine uses it when the configuration
 * asks for node slices or node ranges: the store's own when it implements it, else the
 * {@code kubernetes} store's, opened on the same section for reading nodes only (kube-node's model:
 * ranges from the cluster, allocations in a node-local file store).
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
     * The Node object {@code nodeName}: its {@code spec.podCIDRs} and, when {@code annotation} is not
     * empty and the node carries it, that annotation's value. Empty when there is no such node.
     *
     * @since 0.3
     */
    Optional<NodeFacts> node(String nodeName, String annotation);

    /**
     * The name of the node whose {@code status.nodeInfo.machineID} is {@code machineId}, for a host
     * whose node name is neither configured nor its host name (as kube-node finds its node).
     *
     * @since 0.3
     */
    default Optional<String> nodeWithMachineId(String machineId) {
        return Optional.empty();
    }
}
