package dev.whereabouts.controllers.pods;

import dev.whereabouts.controllers.nad.NadConfigs;
import dev.whereabouts.controllers.nad.NadIpam;
import dev.whereabouts.ops.nad.Nads;
import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ops.reconcile.NetworkStatus;
import dev.whereabouts.ops.reconcile.PodDirectory;
import dev.whereabouts.ops.reconcile.PodState;
import dev.whereabouts.ops.reconcile.PoolReleaser;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Releases what one deleted pod held on its whereabouts networks: every pool entry and reservation in
 * the network's ranges (node slices included) whose pod reference is the pod and whose interface is
 * one the pod had on that network. Entries are removed with the reconciler's discipline (same address,
 * same owner as read, conditional write), so an entry a re-ADD moved in the meantime stays.
 */
final class PodRelease {

    private static final Logger LOG = LoggerFactory.getLogger(PodRelease.class);
    private static final int MAX_COMMIT_ATTEMPTS = 20;

    /** One address given back, and the network it was on. */
    record Freed(Allocation allocation, String nadRef) {}

    /** One whereabouts network of the pod and the interfaces the pod had on it ({@code ""}: unknown). */
    private record Target(String nadRef, NadIpam ipam, Set<String> ifaces) {
        boolean owns(String networkName, Cidr range, Owner owner, String podRef) {
            return ipam.networkName().equals(networkName) && ipam.covers(range) && owns(owner, podRef);
        }

        boolean owns(Owner owner, String podRef) {
            return owner.podRef().equals(podRef)
                    && (ifaces.contains("") || owner.ifName().isEmpty() || ifaces.contains(owner.ifName()));
        }

        /**
         * Whether the pool belongs to this network. Node-slice pools written by upstream carry no node
         * annotation, so the store reads their {@code <node>-} name part as a network name; for a
         * node-slice network a pool in range whose name starts with the network's prefix counts too.
         */
        boolean holds(PoolKey key) {
            if (!ipam.covers(key.range())) {
                return false;
            }
            if (ipam.networkName().equals(key.networkName())) {
                return true;
            }
            return ipam.sliceSize().isPresent() && key.nodeName().isEmpty()
                    && (ipam.networkName().isEmpty() || key.networkName().startsWith(ipam.networkName() + "-"));
        }
    }

    private final KubernetesClient client;
    private final IpamStore store;
    private final PodDirectory pods;

    PodRelease(KubernetesClient client, IpamStore store, PodDirectory pods) {
        this.client = client;
        this.store = store;
        this.pods = pods;
    }

    /**
     * Releases the pod's addresses and returns them.
     *
     * @throws IllegalStateException when a write failed (the caller retries; what was freed stays freed)
     */
    List<Freed> release(DeletedPod pod) {
        List<Target> targets = targets(pod);
        if (targets.isEmpty()) {
            return List.of();
        }
        Map<PoolKey, List<Allocation>> entries = new LinkedHashMap<>();
        Map<Allocation, String> nadOf = new LinkedHashMap<>();
        for (PoolKey key : store.pools()) {
            for (Target t : targets) {
                if (t.holds(key)) {
                    for (Allocation a : store.read(key).asList()) {
                        if (t.owns(a.owner(), pod.podRef())) {
                            entries.computeIfAbsent(key, k -> new ArrayList<>()).add(a);
                            nadOf.put(a, t.nadRef());
                        }
                    }
                }
            }
        }
        List<Reservation> unbacked = new ArrayList<>();
        Map<Reservation, String> nadOfReservation = new LinkedHashMap<>();
        for (Reservation r : store.reservations()) {
            boolean backed = entries.values().stream().flatMap(List::stream).anyMatch(a -> a.ip().equals(r.ip()));
            for (Target t : targets) {
                if (!backed && t.owns(r.networkName(), Cidr.ofHost(r.ip()), r.owner(), pod.podRef())) {
                    unbacked.add(r);
                    nadOfReservation.put(r, t.nadRef());
                    break;
                }
            }
        }
        // Asked only now, after the pools were read: a pod created under the same name after this
        // lookup cannot have an entry in what was read before it.
        Optional<PodState> again = pods.find(pod.podRef());
        if (again.isPresent()) {
            LOG.info("pod {} exists again (uid {}, was {}): its addresses stay with it", pod.podRef(),
                    again.get().uid(), pod.uid());
            return List.of();
        }
        List<Freed> freed = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Map.Entry<PoolKey, List<Allocation>> e : entries.entrySet()) {
            for (Allocation a : new PoolReleaser(store, MAX_COMMIT_ATTEMPTS).release(e.getKey(), e.getValue(), failures)) {
                LOG.info("released {} of deleted pod {} (interface {}) in pool {}", a.ip(), pod.podRef(),
                        a.owner().ifName(), e.getKey());
                freed.add(new Freed(a, nadOf.get(a)));
            }
        }
        for (Reservation r : unbacked) {
            try {
                if (store.removeReservation(r)) {
                    LOG.info("released reservation {} of deleted pod {}", r.objectName(), pod.podRef());
                    freed.add(new Freed(new Allocation(r.ip(), r.owner()), nadOfReservation.get(r)));
                }
            } catch (RuntimeException ex) {
                failures.add("reservation " + r.objectName() + ": " + ex.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException(String.join("; ", failures));
        }
        return freed;
    }

    /** The pod's networks that use whereabouts, one target per NAD. */
    private List<Target> targets(DeletedPod pod) {
        Map<String, Set<String>> ifacesByNad = new LinkedHashMap<>();
        for (NetworkStatus.Entry e : pod.networks()) {
            ifacesByNad.computeIfAbsent(pod.nadRef(e), k -> new HashSet<>()).add(e.iface());
        }
        List<Target> out = new ArrayList<>();
        for (Map.Entry<String, Set<String>> e : ifacesByNad.entrySet()) {
            String[] nsName = e.getKey().split("/", 2);
            GenericKubernetesResource nad = Nads.of(client).inNamespace(nsName[0]).withName(nsName[1]).get();
            if (nad == null) {
                LOG.info("pod {}: NetworkAttachmentDefinition {} is gone, so its ranges are unknown; the pod's"
                        + " addresses on it stay until the reconciler finds them", pod.podRef(), e.getKey());
                continue;
            }
            Optional<NadIpam> ipam = NadConfigs.read(nad);
            if (ipam.isEmpty()) {
                LOG.debug("pod {}: network {} does not use whereabouts", pod.podRef(), e.getKey());
                continue;
            }
            out.add(new Target(e.getKey(), ipam.get(), e.getValue()));
        }
        return out;
    }
}
