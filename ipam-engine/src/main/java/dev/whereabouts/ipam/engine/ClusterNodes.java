package dev.whereabouts.ipam.engine;

import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.engine.config.NetworkConfig;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.NodeRangeSource;
import java.util.function.Supplier;

/**
 * The cluster's nodes as one call sees them: where Node objects are read, and this node's name,
 * each found at most once per call. The store answers when it knows the nodes (Kubernetes);
 * otherwise (kube-node's file store in {@code dataDir}) the Kubernetes store of the same section is
 * opened for reading nodes only.
 */
final class ClusterNodes {

    private static final String KUBERNETES = "kubernetes";

    private final NetworkConfig network;
    private final Supplier<NodeRangeSource> opener;
    private NodeRangeSource source;
    private String name;

    /**
     * The nodes of one call: the store when it knows them, else the {@code kubernetes} store opened
     * on the same section (its kubeconfig), used for nodes only. That is kube-node's model: ranges
     * from the cluster, allocations in a node-local directory.
     */
    static ClusterNodes of(IpamConfig config, IpamStore store, StoreLoader stores) {
        return new ClusterNodes(config.network(), () -> {
            if (store instanceof NodeRangeSource source) {
                return source;
            }
            if (stores.names().contains(KUBERNETES)
                    && stores.open(KUBERNETES, config.storeConfig()) instanceof NodeRangeSource source) {
                return source;
            }
            throw new IpamException(IpamException.INVALID_CONFIG, "no store that knows the cluster's nodes",
                    "datastore '" + config.datastore() + "' has no nodes and no 'kubernetes' store was found");
        });
    }

    ClusterNodes(NetworkConfig network, Supplier<NodeRangeSource> opener) {
        this.network = network;
        this.opener = opener;
    }

    /** The node source; {@code field} names the setting that needs it, for the error. */
    NodeRangeSource source(String field) {
        if (source == null) {
            try {
                source = opener.get();
            } catch (IpamException e) {
                throw new IpamException(e.code(), field + " needs the cluster's Node objects: " + e.getMessage(),
                        e.details(), e);
            }
        }
        return source;
    }

    /** This node's name (see {@link NodeNames}). */
    String nodeName() {
        if (name == null) {
            name = NodeNames.resolve(network, () -> source("the node name lookup by machine id"));
        }
        return name;
    }
}
