package dev.whereabouts.ipam.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each container and each pod holds addresses in one {@link SortedAllocations}, so that an
 * attachment's entries are found by a hash lookup instead of a walk over the whole pool. Why: an ADD
 * asks whether its attachment already holds an address (idempotency) and a DEL asks what it holds;
 * walking a pool of 50,000 entries for each was about a quarter of a node daemon's CPU per call.
 *
 * <p>An index describes one map at a time. A map builds one on first use; a map made by
 * {@link SortedAllocations#with} takes its parent's over and applies the change, so a warm pool's
 * chain of maps builds one only after each read from the store. A map whose index moved on builds
 * a new one if it is asked again. The lock makes a hand-over and a lookup on the old map safe to
 * race: the lookup then answers null and the map builds its own.
 */
final class OwnerIndex {

    /** Container id to its address, or to a {@code List<IpAddress>} when it holds several. */
    private final Map<String, Object> byContainer;
    /** Pod reference to its address(es), likewise; owners without one are not here. */
    private final Map<String, Object> byPod;
    private Object describes;

    private OwnerIndex(Object describes, int entries) {
        this.describes = describes;
        this.byContainer = HashMap.newHashMap(entries);
        this.byPod = HashMap.newHashMap(entries);
    }

    /** An index of {@code owners[from..to)}, describing {@code map}. */
    static OwnerIndex build(Object map, IpAddress[] keys, Owner[] owners, int from, int to) {
        OwnerIndex index = new OwnerIndex(map, to - from);
        for (int i = from; i < to; i++) {
            index.add(keys[i], owners[i]);
        }
        return index;
    }

    /**
     * The addresses of container {@code containerId} and of pod {@code podRef} (when not empty),
     * unsorted and without repeats; null when this index no longer describes {@code map}.
     */
    synchronized List<IpAddress> candidates(Object map, String containerId, String podRef) {
        if (describes != map) {
            return null;
        }
        List<IpAddress> out = new ArrayList<>(2);
        collect(byContainer.get(containerId), out);
        Object ofPod = podRef.isEmpty() ? null : byPod.get(podRef);
        if (ofPod == null) {
            return out;
        }
        // A pod's entry usually has the container's id too: drop the repeats.
        java.util.Set<IpAddress> union = new java.util.LinkedHashSet<>(out);
        List<IpAddress> pod = new ArrayList<>(2);
        collect(ofPod, pod);
        union.addAll(pod);
        return new ArrayList<>(union);
    }

    /**
     * Makes this index describe {@code child} instead of {@code parent}: {@code removed} entries go,
     * {@code added} ones come. False, changing nothing, when it no longer describes {@code parent}.
     */
    synchronized boolean handOver(Object parent, Object child, List<Map.Entry<IpAddress, Owner>> removed,
            List<Map.Entry<IpAddress, Owner>> added) {
        if (describes != parent) {
            return false;
        }
        removed.forEach(e -> remove(e.getKey(), e.getValue()));
        added.forEach(e -> add(e.getKey(), e.getValue()));
        describes = child;
        return true;
    }

    private void add(IpAddress ip, Owner owner) {
        put(byContainer, owner.containerId(), ip);
        if (!owner.podRef().isEmpty()) {
            put(byPod, owner.podRef(), ip);
        }
    }

    private void remove(IpAddress ip, Owner owner) {
        take(byContainer, owner.containerId(), ip);
        if (!owner.podRef().isEmpty()) {
            take(byPod, owner.podRef(), ip);
        }
    }

    private static void put(Map<String, Object> map, String key, IpAddress ip) {
        Object held = map.get(key);
        if (held == null) {
            map.put(key, ip);
        } else if (held instanceof IpAddress one) {
            List<IpAddress> several = new ArrayList<>(2);
            several.add(one);
            several.add(ip);
            map.put(key, several);
        } else {
            @SuppressWarnings("unchecked")
            List<IpAddress> several = (List<IpAddress>) held;
            several.add(ip);
        }
    }

    private static void take(Map<String, Object> map, String key, IpAddress ip) {
        Object held = map.get(key);
        if (held instanceof IpAddress one) {
            if (one.equals(ip)) {
                map.remove(key);
            }
        } else if (held instanceof List<?> several) {
            several.remove(ip);
            if (several.size() == 1) {
                map.put(key, several.getFirst());
            }
        }
    }

    private static void collect(Object held, List<IpAddress> out) {
        if (held instanceof IpAddress one) {
            out.add(one);
        } else if (held instanceof List<?> several) {
            several.forEach(o -> out.add((IpAddress) o));
        }
    }
}
