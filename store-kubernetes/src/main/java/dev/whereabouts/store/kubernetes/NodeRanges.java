package dev.whereabouts.store.kubernetes;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.InvalidConfigException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Ranges that come from the cluster: node slices of a {@code NodeSlicePool}, and a node's own CIDRs. */
final class NodeRanges {

    private final KubernetesClient client;
    private final String namespace;

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

    /** The CIDRs in the node's annotation when set (comma list or JSON list), else {@code spec.podCIDRs}. */
    List<Cidr> nodeRanges(String nodeName, String annotation) {
        Node node = ApiErrors.call("get node " + nodeName, () -> client.nodes().withName(nodeName).get());
        if (node == null) {
            return List.of();
        }
        Map<String, String> ann = node.getMetadata().getAnnotations();
        String value = ann == null || annotation == null || annotation.isEmpty() ? null : ann.get(annotation);
        List<String> texts = new ArrayList<>();
        if (value != null && !value.isBlank()) {
            String v = value.strip();
            if (v.startsWith("[")) {
                List<?> list;
                try {
                    list = client.getKubernetesSerialization().unmarshal(v, List.class);
                } catch (RuntimeException e) {
                    throw new InvalidConfigException("node " + nodeName + " annotation " + annotation, v,
                            "not a JSON list of CIDRs");
                }
                list.forEach(o -> texts.add(String.valueOf(o)));
            } else {
                texts.addAll(Arrays.asList(v.split(",")));
            }
        } else if (node.getSpec() != null) {
            List<String> podCidrs = node.getSpec().getPodCIDRs();
            if (podCidrs != null && !podCidrs.isEmpty()) {
                texts.addAll(podCidrs);
            } else if (node.getSpec().getPodCIDR() != null) {
                texts.add(node.getSpec().getPodCIDR());
            }
        }
        return texts.stream().map(String::strip).filter(s -> !s.isEmpty())
                .map(s -> cidr("node " + nodeName + " ranges", s)).toList();
    }

    private static Cidr cidr(String field, String text) {
        try {
            return Cidr.parse(text.strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(field, text, "not a CIDR");
        }
    }
}
