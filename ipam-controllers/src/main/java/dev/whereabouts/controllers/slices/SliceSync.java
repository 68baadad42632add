package dev.whereabouts.controllers.slices;

import dev.whereabouts.controllers.nad.NadConfigs;
import dev.whereabouts.controllers.nad.NadIpam;
import dev.whereabouts.ops.nad.Nads;
import dev.whereabouts.ipam.api.Cidr;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass of the node-slice controller: from every NAD with {@code node_slice_size} and every node,
 * the {@code NodeSlicePool} of each network, written only where it differs from what is stored.
 * A pass reads everything afresh, so a pass after a restart, a missed event or a lost write
 * converges to the same pools; writes carry the {@code resourceVersion} read, so a concurrent writer
 * makes this pass fail and the next one start over rather than overwrite.
 */
final class SliceSync {

    private static final Logger LOG = LoggerFactory.getLogger(SliceSync.class);

    /** The NADs of one pool and the one whose range and slice size count. */
    private record Network(NadIpam definer, GenericKubernetesResource definerObject, List<GenericKubernetesResource> nads) {}

    private final KubernetesClient client;
    private final String namespace;

    SliceSync(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** Runs the pass; returns the number of pools written or deleted. */
    int run() {
        List<GenericKubernetesResource> nads = Nads.of(client).inAnyNamespace().list().getItems();
        Map<String, Network> networks = networks(nads);
        java.util.Set<String> existing = new java.util.HashSet<>();
        nads.forEach(n -> existing.add(n.getMetadata().getNamespace() + "/" + n.getMetadata().getName()));
        List<String> nodes = client.nodes().list().getItems().stream().map(n -> n.getMetadata().getName()).toList();
        Map<String, GenericKubernetesResource> pools = new TreeMap<>();
        for (GenericKubernetesResource p : client.genericKubernetesResources(SlicePoolObjects.KIND)
                .inNamespace(namespace).list().getItems()) {
            pools.put(p.getMetadata().getName(), p);
        }
        int writes = 0;
        for (Map.Entry<String, Network> e : networks.entrySet()) {
            writes += write(e.getKey(), e.getValue(), pools.get(e.getKey()), nodes) ? 1 : 0;
        }
        for (GenericKubernetesResource p : pools.values()) {
            String name = p.getMetadata().getName();
            // Deleted only when every NAD it was written for is gone, as upstream deletes with the owner:
            // a NAD that still exists but stopped slicing (or cannot be read) leaves its pool alone.
            if (!networks.containsKey(name) && SlicePoolObjects.managed(p)
                    && SlicePoolObjects.nadRefs(p).stream().noneMatch(existing::contains)) {
                LOG.info("deleting NodeSlicePool {}: its NetworkAttachmentDefinitions are gone", name);
                client.genericKubernetesResources(SlicePoolObjects.KIND).inNamespace(namespace).resource(p).delete();
                writes++;
            }
        }
        return writes;
    }

    private boolean write(String name, Network net, GenericKubernetesResource existing, List<String> nodes) {
        Cidr range = net.definer().ranges().getFirst();
        int size = net.definer().sliceSize().getAsInt();
        List<Slot> current = existing == null ? List.of() : SlicePoolObjects.slots(existing);
        List<Slot> slots;
        try {
            slots = SlicePlanner.plan(range, size, current, nodes);
        } catch (IllegalArgumentException e) {
            LOG.error("NetworkAttachmentDefinition {}: {}; its NodeSlicePool {} is left as it is",
                    net.definer().nadRef(), e.getMessage(), name);
            return false;
        }
        long placed = slots.stream().filter(s -> !s.free()).count();
        if (placed < nodes.size()) {
            LOG.warn("NodeSlicePool {}: {} nodes but only {} slices of /{} in {}; {} nodes get no slice", name,
                    nodes.size(), slots.size(), size, range, nodes.size() - placed);
        }
        GenericKubernetesResource desired = SlicePoolObjects.desired(existing, name, namespace, range,
                net.definer().sliceSizeText(), slots, owners(net), net.nads().stream()
                        .map(n -> n.getMetadata().getNamespace() + "/" + n.getMetadata().getName()).toList());
        var op = client.genericKubernetesResources(SlicePoolObjects.KIND).inNamespace(namespace);
        if (existing == null) {
            LOG.info("creating NodeSlicePool {}: {} in /{} slices for {} nodes", name, range, size, placed);
            op.resource(desired).create();
            return true;
        }
        if (SlicePoolObjects.sameContent(existing, desired)) {
            return false;
        }
        LOG.info("updating NodeSlicePool {}: {} in /{} slices for {} nodes", name, range, size, placed);
        op.resource(desired).update();
        return true;
    }

    /**
     * Owner references to the pool's NADs, the defining one as controller, as upstream writes them;
     * none at all when a NAD lives in another namespace. The garbage collector looks owners up in the
     * dependent's namespace and deletes the pool once every listed owner is gone, so listing only some
     * NADs would have it delete a pool that a NAD elsewhere still uses; this controller deletes the
     * pool itself when the last NAD goes.
     */
    private List<OwnerReference> owners(Network net) {
        List<OwnerReference> out = new ArrayList<>();
        for (GenericKubernetesResource nad : net.nads()) {
            if (!namespace.equals(nad.getMetadata().getNamespace()) || nad.getMetadata().getUid() == null) {
                return List.of();
            }
            out.add(new OwnerReferenceBuilder().withApiVersion(Nads.GROUP + "/v1")
                    .withKind("NetworkAttachmentDefinition").withName(nad.getMetadata().getName())
                    .withUid(nad.getMetadata().getUid()).withController(nad == net.definerObject() ? true : null)
                    .build());
        }
        return out;
    }

    /**
     * The node-slice networks by pool name. When NADs share a network name but disagree on range or
     * slice size, the oldest NAD decides and the others are reported (upstream refuses to slice at all).
     */
    static Map<String, Network> networks(List<GenericKubernetesResource> nads) {
        List<GenericKubernetesResource> sorted = new ArrayList<>(nads);
        sorted.sort(Comparator.comparing((GenericKubernetesResource n) -> Optional.ofNullable(
                n.getMetadata().getCreationTimestamp()).orElse("")).thenComparing(n -> n.getMetadata().getNamespace()
                + "/" + n.getMetadata().getName()));
        Map<String, Network> out = new LinkedHashMap<>();
        for (GenericKubernetesResource nad : sorted) {
            Optional<NadIpam> ipam = NadConfigs.read(nad);
            if (ipam.isEmpty() || ipam.get().sliceSizeText().isEmpty()) {
                continue;
            }
            NadIpam n = ipam.get();
            if (n.sliceSize().isEmpty() || n.ranges().isEmpty()) {
                LOG.warn("NetworkAttachmentDefinition {}: node_slice_size '{}' needs a readable slice size and a"
                        + " range; skipped", n.nadRef(), n.sliceSizeText());
                continue;
            }
            Network known = out.get(n.slicePoolName());
            if (known == null) {
                out.put(n.slicePoolName(), new Network(n, nad, new ArrayList<>(List.of(nad))));
                continue;
            }
            known.nads().add(nad);
            if (!known.definer().ranges().getFirst().equals(n.ranges().getFirst())
                    || known.definer().sliceSize().getAsInt() != n.sliceSize().getAsInt()) {
                LOG.warn("NetworkAttachmentDefinition {} shares network '{}' with {} but asks for {} in /{} slices;"
                        + " the older one's {} in /{} slices is used", n.nadRef(), n.slicePoolName(),
                        known.definer().nadRef(), n.ranges().getFirst(), n.sliceSize().getAsInt(),
                        known.definer().ranges().getFirst(), known.definer().sliceSize().getAsInt());
            }
        }
        return out;
    }
}
