package dev.whereabouts.store.kubernetes;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.InvalidConfigException;
import dev.whereabouts.ipam.spi.NodeFacts;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Ranges that come from the cluster: node slices of a {@code NodeSlicePool}, and what a Node says of its own. */
final class NodeRanges {

    private final KubernetesClient client;
    private final String namespace;
    private final Map<String, String> byMachineId = new ConcurrentHashMap<>();

    NodeRanges(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** {@code status.allocations[?nodeName == node].sliceRange} of the pool, as the controller writes it. */
    Optional<Cidr> nodeSlice(String poolName, String nodeName) {
        GenericKubernetesResource pool = ApiErrors.call("get node slice pool " + poolName,
                () -> client.genericKubernetesResources(Kinds.NODE_SLICE_POOL).inNamespace(namespace)
                        .withName(poolName).get());
        if (pool == null || !(pool.getAdditionalProperties().get("status") instanceof Map<?, ?> status)
                || !(status.get("allocations") instanceof List<?> allocations)) {
            return Optional.empty();
        }
        for (Object a : allocations) {
            if (a instanceof Map<?, ?> slot && nodeName.equals(slot.get("nodeName"))
                    && slot.get("sliceRange") instanceof String slice && !slice.isBlank()) {
                return Optional.of(cidr("NodeSlicePool " + poolName + " sliceRange", slice));
            }
        }
        return Optional.empty();
    }

    /** The node's pod CIDRs and the requested annotation, unparsed: the engine owns the formats. */
    Optional<NodeFacts> node(String nodeName, String annotation) {
        Node node = ApiErrors.call("get node " + nodeName, () -> client.nodes().withName(nodeName).get());
        if (node == null) {
            return Optional.empty();
        }
        Map<String, String> ann = node.getMetadata().getAnnotations();
        Optional<String> value = ann == null || annotation == null || annotation.isEmpty()
                ? Optional.empty() : Optional.ofNullable(ann.get(annotation));
        List<String> podCidrs = List.of();
        if (node.getSpec() != null) {
            List<String> listed = node.getSpec().getPodCIDRs();
            if (listed != null && !listed.isEmpty()) {
                podCidrs = listed;
            } else if (node.getSpec().getPodCIDR() != null) {
                podCidrs = List.of(node.getSpec().getPodCIDR());
            }
        }
        return Optional.of(new NodeFacts(nodeName, podCidrs, value));
    }

    /**
     * The node whose {@code status.nodeInfo.machineID} matches. Remembered once found: a machine id
     * does not change, and listing every node on each call would load the API server for nothing.
     */
    Optional<String> nodeWithMachineId(String machineId) {
        String known = byMachineId.get(machineId);
        if (known != null) {
            return Optional.of(known);
        }
        List<Node> nodes = ApiErrors.call("list nodes", () -> client.nodes().list().getItems());
        for (Node n : nodes) {
            if (n.getStatus() != null && n.getStatus().getNodeInfo() != null
                    && machineId.equals(n.getStatus().getNodeInfo().getMachineID())) {
                byMachineId.put(machineId, n.getMetadata().getName());
                return Optional.of(n.getMetadata().getName());
            }
        }
        return Optional.empty();
    }

    private static Cidr cidr(String field, String text) {
        try {
            return Cidr.parse(text.strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(field, text, "not a CIDR");
        }
    }
}
