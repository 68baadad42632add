package dev.whereabouts.store.kubernetes;

import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.Reservation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and writes {@code OverlappingRangeIPReservation} objects:
 * {@code spec: {containerid, podref, ifname}}. Upstream writes only {@code podref} and
 * {@code ifname}; we also fill {@code containerid} (in upstream's schema, unused by upstream) so that
 * an owner without a pod reference can still be recognised.
 */
final class ReservationObjects {

    private ReservationObjects() {}

    static GenericKubernetesResource newReservation(Reservation r, String namespace) {
        GenericKubernetesResource o = new GenericKubernetesResource();
        o.setApiVersion(Kinds.API_VERSION);
        o.setKind("OverlappingRangeIPReservation");
        ObjectMeta meta = new ObjectMeta();
        meta.setName(r.objectName());
        meta.setNamespace(namespace);
        if (!r.networkName().isEmpty()) {
            meta.setAnnotations(new LinkedHashMap<>(Map.of(Kinds.NETWORK_ANNOTATION, r.networkName())));
        }
        o.setMetadata(meta);
        o.setAdditionalProperty("spec", spec(r.owner()));
        return o;
    }

    /** {@code existing} with its spec replaced by {@code owner}; metadata (and resourceVersion) kept. */
    static GenericKubernetesResource reowned(GenericKubernetesResource existing, Owner owner) {
        GenericKubernetesResource o = new GenericKubernetesResource();
        o.setApiVersion(existing.getApiVersion());
        o.setKind(existing.getKind());
        o.setMetadata(existing.getMetadata());
        Map<String, Object> rest = new LinkedHashMap<>(existing.getAdditionalProperties());
        rest.put("spec", spec(owner));
        o.setAdditionalProperties(rest);
        return o;
    }

    static Map<String, Object> spec(Owner owner) {
        Map<String, Object> spec = new LinkedHashMap<>();
        if (!owner.containerId().isEmpty()) {
            spec.put("containerid", owner.containerId());
        }
        spec.put("podref", owner.podRef());
        if (!owner.ifName().isEmpty()) {
            spec.put("ifname", owner.ifName());
        }
        return spec;
    }

    static Owner owner(GenericKubernetesResource o) {
        Map<String, Object> spec = PoolObjects.spec(o);
        return new Owner(PoolObjects.text(spec.get("containerid")), PoolObjects.text(spec.get("ifname")),
                PoolObjects.text(spec.get("podref")));
    }

    /**
     * The reservation an object stands for. The address and network name come from the object
     * name ({@code [network-]normalized-ip}); our annotation settles where the network name ends,
     * and without it the longest suffix that is an address in its own normalized form wins.
     */
    static Optional<Reservation> parse(GenericKubernetesResource o) {
        String name = o.getMetadata().getName();
        Map<String, String> ann = o.getMetadata().getAnnotations();
        String network = ann == null ? null : ann.get(Kinds.NETWORK_ANNOTATION);
        if (network != null && name.startsWith(network + "-")) {
            return address(name.substring(network.length() + 1))
                    .map(ip -> new Reservation(network, ip, owner(o)));
        }
        Optional<IpAddress> whole = address(name);
        if (whole.isPresent()) {
            return Optional.of(new Reservation("", whole.get(), owner(o)));
        }
        for (int i = name.indexOf('-'); i > 0; i = name.indexOf('-', i + 1)) {
            Optional<IpAddress> ip = address(name.substring(i + 1));
            if (ip.isPresent()) {
                return Optional.of(new Reservation(name.substring(0, i), ip.get(), owner(o)));
            }
        }
        return Optional.empty();
    }

    /** The address whose normalized text is exactly {@code text}, if any. */
    private static Optional<IpAddress> address(String text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            IpAddress ip = IpAddress.parse(text.indexOf('.') >= 0 && text.indexOf('-') < 0 ? text : text.replace('-', ':'));
            Reservation probe = new Reservation("", ip, new Owner("", "", ""));
            return probe.objectName().equals(text) ? Optional.of(ip) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
