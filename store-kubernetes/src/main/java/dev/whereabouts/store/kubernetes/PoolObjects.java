package dev.whereabouts.store.kubernetes;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads and writes {@code IPPool} objects in upstream's exact shape:
 * {@code spec: {range: <cidr>, allocations: {"<offset>": {id, podref, ifname}}}}, with
 * {@code ifname} left out when empty as upstream's older entries do.
 */
final class PoolObjects {

    private PoolObjects() {}

    /** A new, empty pool object for {@code key}; {@code spec.range} is the canonical range. */
    static GenericKubernetesResource newPool(PoolKey key, String namespace) {
        GenericKubernetesResource pool = new GenericKubernetesResource();
        pool.setApiVersion(Kinds.API_VERSION);
        pool.setKind("IPPool");
        ObjectMeta meta = new ObjectMeta();
        meta.setName(key.objectName());
        meta.setNamespace(namespace);
        if (!key.nodeName().isEmpty()) {
            meta.setAnnotations(new LinkedHashMap<>(Map.of(Kinds.NODE_ANNOTATION, key.nodeName())));
        }
        pool.setMetadata(meta);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("range", key.range().toString());
        spec.put("allocations", new LinkedHashMap<String, Object>());
        pool.setAdditionalProperty("spec", spec);
        return pool;
    }

    /** The {@code spec.range} of a pool object, which is also the base of its offset keys. */
    static Cidr range(GenericKubernetesResource pool, PoolKey fallback) {
        Object range = spec(pool).get("range");
        if (range instanceof String s) {
            try {
                return Cidr.parse(s.strip());
            } catch (IllegalArgumentException e) {
                // fall through: a broken range must not make the pool unreadable for DEL
            }
        }
        return fallback.range();
    }

    /** The allocations of a pool object, by address; entries that do not decode are skipped. */
    static TreeMap<IpAddress, Owner> allocations(GenericKubernetesResource pool, PoolKey key) {
        Cidr range = range(pool, key);
        TreeMap<IpAddress, Owner> out = new TreeMap<>();
        for (Map.Entry<String, Object> e : rawAllocations(pool).entrySet()) {
            if (e.getValue() instanceof Map<?, ?> value) {
                OffsetKeys.decode(range, e.getKey()).ifPresent(ip -> out.put(ip, owner(value)));
            }
        }
        return out;
    }

    /**
     * A copy of {@code pool} with {@code change} applied to its allocations. Other fields of the
     * object (labels, unknown spec fields, entries we cannot decode) are kept as they were.
     */
    static GenericKubernetesResource applied(GenericKubernetesResource pool, PoolKey key, PoolChange change) {
        Cidr range = range(pool, key);
        Map<String, Object> allocations = new LinkedHashMap<>(rawAllocations(pool));
        Map<IpAddress, String> keyOf = new HashMap<>();
        for (String k : allocations.keySet()) {
            OffsetKeys.decode(range, k).ifPresent(ip -> keyOf.put(ip, k));
        }
        for (IpAddress ip : change.remove()) {
            String k = keyOf.remove(ip);
            if (k != null) {
                allocations.remove(k);
            }
        }
        for (Allocation a : change.put()) {
            String old = keyOf.remove(a.ip());
            if (old != null) {
                allocations.remove(old);
            }
            String k = OffsetKeys.encode(range, a.ip());
            allocations.put(k, entry(a.owner()));
            keyOf.put(a.ip(), k);
        }
        Map<String, Object> spec = new LinkedHashMap<>(spec(pool));
        spec.putIfAbsent("range", range.toString());
        spec.put("allocations", allocations);
        GenericKubernetesResource copy = new GenericKubernetesResource();
        copy.setApiVersion(pool.getApiVersion() == null ? Kinds.API_VERSION : pool.getApiVersion());
        copy.setKind(pool.getKind() == null ? "IPPool" : pool.getKind());
        copy.setMetadata(pool.getMetadata());
        Map<String, Object> rest = new LinkedHashMap<>(pool.getAdditionalProperties());
        rest.put("spec", spec);
        copy.setAdditionalProperties(rest);
        return copy;
    }

    /** One allocation value as upstream writes it. */
    static Map<String, Object> entry(Owner owner) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", owner.containerId());
        m.put("podref", owner.podRef());
        if (!owner.ifName().isEmpty()) {
            m.put("ifname", owner.ifName());
        }
        return m;
    }

    static Owner owner(Map<?, ?> value) {
        return new Owner(text(value.get("id")), text(value.get("ifname")), text(value.get("podref")));
    }

    static String text(Object o) {
        return o instanceof String s ? s : "";
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> spec(GenericKubernetesResource object) {
        Object spec = object.getAdditionalProperties().get("spec");
        return spec instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** How many allocations {@code pool} holds, without decoding them. */
    static int size(GenericKubernetesResource pool) {
        return rawAllocations(pool).size();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> rawAllocations(GenericKubernetesResource pool) {
        Object a = spec(pool).get("allocations");
        return a instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
