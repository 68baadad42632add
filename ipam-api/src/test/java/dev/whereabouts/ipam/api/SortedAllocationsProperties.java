package dev.whereabouts.ipam.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The array-backed map behaves exactly like a TreeMap, views included, and its positions match the order. */
class SortedAllocationsProperties {

    @Property
    void navigationMatchesTreeMap(@ForAll("offsets") List<Integer> keys, @ForAll("offsets") List<Integer> probes,
            @ForAll boolean fromHash) {
        TreeMap<IpAddress, Owner> model = new TreeMap<>();
        keys.forEach(k -> model.put(ip(k), owner(k)));
        SortedAllocations sorted = SortedAllocations.copyOf(fromHash ? new HashMap<>(model) : model);
        assertSame(model, sorted, probes);
        for (int i = 0; i + 1 < probes.size(); i += 2) {
            IpAddress a = ip(Math.min(probes.get(i), probes.get(i + 1)));
            IpAddress b = ip(Math.max(probes.get(i), probes.get(i + 1)));
            for (boolean ai : new boolean[] {true, false}) {
                for (boolean bi : new boolean[] {true, false}) {
                    assertSame(model.subMap(a, ai, b, bi), sorted.subMap(a, ai, b, bi), probes);
                    // A view of a view: the narrower bounds win. (TreeMap refuses a == b here.)
                    if (a.compareTo(b) < 0) {
                        assertSame(model.tailMap(a, ai).headMap(b, bi), sorted.tailMap(a, ai).headMap(b, bi), probes);
                    }
                }
            }
        }
    }

    @Property
    void positionsFollowTheOrder(@ForAll("offsets") List<Integer> keys, @ForAll("offsets") List<Integer> probes) {
        TreeMap<IpAddress, Owner> model = new TreeMap<>();
        keys.forEach(k -> model.put(ip(k), owner(k)));
        SortedAllocations sorted = SortedAllocations.copyOf(model);
        int i = 0;
        for (Map.Entry<IpAddress, Owner> e : model.entrySet()) {
            assertEquals(e.getKey(), sorted.keyAt(i));
            assertEquals(e.getValue(), sorted.ownerAt(i));
            assertEquals(i++, sorted.indexOf(e.getKey()));
        }
        for (int p : probes) {
            IpAddress probe = ip(p);
            int expected = model.containsKey(probe) ? model.headMap(probe).size() : -model.headMap(probe).size() - 1;
            assertEquals(expected, sorted.indexOf(probe));
        }
        assertThrows(IndexOutOfBoundsException.class, () -> sorted.keyAt(sorted.size()));
    }

    @Property(tries = 50)
    void isImmutable(@ForAll("offsets") List<Integer> keys) {
        TreeMap<IpAddress, Owner> model = new TreeMap<>();
        keys.forEach(k -> model.put(ip(k), owner(k)));
        SortedAllocations sorted = SortedAllocations.copyOf(model);
        assertThrows(UnsupportedOperationException.class, () -> sorted.put(ip(1), owner(1)));
        assertThrows(UnsupportedOperationException.class, sorted::pollFirstEntry);
        if (!sorted.isEmpty()) {
            assertThrows(UnsupportedOperationException.class, () -> sorted.remove(sorted.firstKey()));
            assertThrows(UnsupportedOperationException.class, sorted::clear);
        }
        model.clear();
        assertEquals(keys.stream().distinct().count(), sorted.size());
    }

    /**
     * A chain of changes, each made by {@code with} on the previous map, matches a TreeMap changed
     * the same way; and every map of the chain, old ones included (their index has moved on), finds
     * exactly the entries of a container or a pod that a walk finds.
     */
    @Property
    void aChainOfChangesMatchesTreeMapAndFindsOwnersLikeAWalk(@ForAll("offsets") List<Integer> start,
            @ForAll("changes") List<List<Integer>> steps, @ForAll("offsets") List<Integer> probes) {
        TreeMap<IpAddress, Owner> model = new TreeMap<>();
        start.forEach(k -> model.put(ip(k), shared(k)));
        List<SortedAllocations> chain = new java.util.ArrayList<>(List.of(SortedAllocations.copyOf(model)));
        List<TreeMap<IpAddress, Owner>> models = new java.util.ArrayList<>(List.of(new TreeMap<>(model)));
        for (List<Integer> step : steps) {
            SortedAllocations last = chain.getLast();
            assertOwnersFound(models.getLast(), last, probes); // builds or uses the index before it moves on
            Map<IpAddress, Owner> put = new HashMap<>();
            List<IpAddress> remove = new java.util.ArrayList<>();
            for (int i = 0; i < step.size(); i++) {
                int k = step.get(i);
                if (i % 3 == 2) {
                    remove.add(ip(k));
                    model.remove(ip(k));
                } else {
                    put.put(ip(k), shared(k + i));
                }
            }
            model.putAll(put);
            chain.add(last.with(put, remove));
            models.add(new TreeMap<>(model));
        }
        for (int i = chain.size() - 1; i >= 0; i--) {
            assertEquals(models.get(i), chain.get(i));
            assertOwnersFound(models.get(i), chain.get(i), probes);
        }
    }

    private static void assertOwnersFound(TreeMap<IpAddress, Owner> model, SortedAllocations map, List<Integer> probes) {
        for (int p : probes) {
            String container = "c" + (p % 7);
            String pod = p % 2 == 0 ? "" : "ns/p" + (p % 5);
            List<IpAddress> walk = model.entrySet().stream()
                    .filter(e -> e.getValue().containerId().equals(container)
                            || !pod.isEmpty() && e.getValue().podRef().equals(pod))
                    .map(Map.Entry::getKey).toList();
            assertEquals(walk, map.heldByContainerOrPod(container, pod));
        }
    }

    /** Owners that share containers and pods, as an attachment that holds several addresses does. */
    private static Owner shared(int i) {
        return new Owner("c" + (i % 7), "net1", i % 3 == 0 ? "" : "ns/p" + (i % 5));
    }

    @Provide
    Arbitrary<List<List<Integer>>> changes() {
        return Arbitraries.integers().between(0, 60).list().ofMaxSize(6).list().ofMaxSize(8);
    }

    private static void assertSame(NavigableMap<IpAddress, Owner> model, NavigableMap<IpAddress, Owner> sorted,
            List<Integer> probes) {
        assertEquals(model, sorted);
        assertEquals(model.hashCode(), sorted.hashCode());
        assertEquals(model.size(), sorted.size());
        assertEquals(List.copyOf(model.keySet()), List.copyOf(sorted.keySet()));
        assertEquals(List.copyOf(model.descendingKeySet()), List.copyOf(sorted.descendingKeySet()));
        assertEquals(model.firstEntry(), sorted.firstEntry());
        assertEquals(model.lastEntry(), sorted.lastEntry());
        for (int p : probes) {
            IpAddress probe = ip(p);
            assertEquals(model.get(probe), sorted.get(probe));
            assertEquals(model.containsKey(probe), sorted.containsKey(probe));
            assertEquals(model.lowerEntry(probe), sorted.lowerEntry(probe));
            assertEquals(model.floorKey(probe), sorted.floorKey(probe));
            assertEquals(model.ceilingEntry(probe), sorted.ceilingEntry(probe));
            assertEquals(model.higherKey(probe), sorted.higherKey(probe));
            NavigableMap<IpAddress, Owner> head;
            try {
                head = model.headMap(probe, true);
            } catch (IllegalArgumentException outsideTheView) {
                continue; // a TreeMap view refuses bounds beyond its own; this map clamps them instead
            }
            assertEquals(head, sorted.headMap(probe, true));
            assertEquals(model.tailMap(probe, false), sorted.tailMap(probe, false));
        }
    }

    @Provide
    Arbitrary<List<Integer>> offsets() {
        return Arbitraries.integers().between(0, 60).list().ofMaxSize(40);
    }

    private static IpAddress ip(int offset) {
        return IpAddress.parse("10.1.0.0").plus(offset);
    }

    private static Owner owner(int i) {
        return new Owner("c" + i, "net1", "ns/p" + i);
    }
}
