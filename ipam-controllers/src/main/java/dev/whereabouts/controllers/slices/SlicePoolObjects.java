package dev.whereabouts.controllers.slices;

import dev.whereabouts.ipam.api.Cidr;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code NodeSlicePool} objects in upstream's shape, which the plugin's node-slice mode reads:
 * {@code spec: {range, sliceSize}}, {@code status: {allocations: [{nodeName, sliceRange}]}} with
 * {@code nodeName: ""} for a free slice.
 */
final class SlicePoolObjects {

    static final ResourceDefinitionContext KIND = new ResourceDefinitionContext.Builder()
            .withGroup("whereabouts.cni.cncf.io").withVersion("v1alpha1").withKind("NodeSlicePool")
            .withPlural("nodeslicepools").withNamespaced(true).build();

    /** Marks pools this controller wrote, so that it deletes only those when their NADs are gone. */
    static final String MANAGED_ANNOTATION = "whereabouts.dev/managed-by";
    static final String MANAGER = "whereabouts-node-slice-controller";
    /** The NADs ({@code ns/name}, comma-separated) the pool was last written for. */
    static final String NADS_ANNOTATION = "whereabouts.dev/network-attachment-definitions";

    private SlicePoolObjects() {}

    /** The pool as it should be; metadata other than name, namespace, owners and our mark is kept. */
    static GenericKubernetesResource desired(GenericKubernetesResource existing, String name, String namespace,
            Cidr range, String sliceSizeText, List<Slot> slots, List<OwnerReference> owners, List<String> nadRefs) {
        GenericKubernetesResource o = new GenericKubernetesResource();
        o.setApiVersion("whereabouts.cni.cncf.io/v1alpha1");
        o.setKind("NodeSlicePool");
        // A copy: the caller compares the result with the object it came from.
        ObjectMeta meta = existing == null ? new ObjectMeta() : new ObjectMetaBuilder(existing.getMetadata()).build();
        meta.setName(name);
        meta.setNamespace(namespace);
        Map<String, String> annotations = new LinkedHashMap<>(meta.getAnnotations() == null ? Map.of() : meta.getAnnotations());
        annotations.put(MANAGED_ANNOTATION, MANAGER);
        annotations.put(NADS_ANNOTATION, String.join(",", nadRefs.stream().sorted().toList()));
        meta.setAnnotations(annotations);
        meta.setOwnerReferences(owners.isEmpty() ? null : owners);
        o.setMetadata(meta);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("range", range.toString());
        spec.put("sliceSize", sliceSizeText);
        o.setAdditionalProperty("spec", spec);
        List<Map<String, Object>> allocations = new ArrayList<>();
        for (Slot s : slots) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("nodeName", s.nodeName());
            a.put("sliceRange", s.slice().toString());
            allocations.add(a);
        }
        o.setAdditionalProperty("status", new LinkedHashMap<>(Map.of("allocations", allocations)));
        return o;
    }

    /** The slots written in {@code pool}; entries that do not read are dropped. */
    static List<Slot> slots(GenericKubernetesResource pool) {
        List<Slot> out = new ArrayList<>();
        if (pool.getAdditionalProperties().get("status") instanceof Map<?, ?> status
                && status.get("allocations") instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> m && m.get("sliceRange") instanceof String slice) {
                    try {
                        out.add(new Slot(m.get("nodeName") instanceof String n ? n : "", Cidr.parse(slice)));
                    } catch (IllegalArgumentException e) {
                        // a hand-edited entry that does not parse frees nothing and holds nothing
                    }
                }
            }
        }
        return out;
    }

    /** Whether the pool was written by a NAD-driven controller (ours, or upstream's owner references). */
    static boolean managed(GenericKubernetesResource pool) {
        Map<String, String> a = pool.getMetadata().getAnnotations();
        if (a != null && MANAGER.equals(a.get(MANAGED_ANNOTATION))) {
            return true;
        }
        List<OwnerReference> refs = pool.getMetadata().getOwnerReferences();
        return refs != null && refs.stream().anyMatch(r -> "NetworkAttachmentDefinition".equals(r.getKind()));
    }

    /**
     * The NADs ({@code ns/name}) the pool was written for: our annotation, plus the owner references
     * (which upstream's controller writes, all in the pool's namespace).
     */
    static Set<String> nadRefs(GenericKubernetesResource pool) {
        Set<String> out = new TreeSet<>();
        Map<String, String> a = pool.getMetadata().getAnnotations();
        if (a != null && a.get(NADS_ANNOTATION) != null) {
            for (String ref : a.get(NADS_ANNOTATION).split(",")) {
                if (!ref.isBlank()) {
                    out.add(ref.strip());
                }
            }
        }
        for (OwnerReference r : orEmpty(pool.getMetadata().getOwnerReferences())) {
            if ("NetworkAttachmentDefinition".equals(r.getKind())) {
                out.add(pool.getMetadata().getNamespace() + "/" + r.getName());
            }
        }
        return out;
    }

    /** Whether {@code a} and {@code b} say the same thing in every field this controller writes. */
    static boolean sameContent(GenericKubernetesResource a, GenericKubernetesResource b) {
        return Objects.equals(a.getAdditionalProperties().get("spec"), b.getAdditionalProperties().get("spec"))
                && Objects.equals(a.getAdditionalProperties().get("status"), b.getAdditionalProperties().get("status"))
                && Objects.equals(orEmpty(a.getMetadata().getOwnerReferences()), orEmpty(b.getMetadata().getOwnerReferences()))
                && Objects.equals(a.getMetadata().getAnnotations(), b.getMetadata().getAnnotations());
    }

    /** The API server answers an absent list as {@code []}: both mean "none". */
    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
