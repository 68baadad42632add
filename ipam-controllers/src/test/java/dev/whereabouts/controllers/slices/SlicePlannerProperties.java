package dev.whereabouts.controllers.slices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The slicing rules for any range, slice size and sequence of node joins and leaves: slices never
 * overlap and stay inside the range, a node has at most one slice, a node keeps its slice while it
 * stays, every node has a slice while there are enough, and a freed slice goes to the next node.
 */
class SlicePlannerProperties {

    /** A node joining (true) or leaving (false). */
    record Step(String node, boolean join) {}

    record Scenario(Cidr range, int sliceSize, List<Step> steps) {}

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Cidr> ranges = Combinators.combine(Arbitraries.integers().between(0, 255),
                Arbitraries.integers().between(0, 255), Arbitraries.integers().between(16, 28))
                .as((a, b, prefix) -> new Cidr(IpAddress.parse("10." + a + "." + b + ".0"), prefix).canonical());
        Arbitrary<Step> steps = Combinators.combine(Arbitraries.of("n0", "n1", "n2", "n3", "n4", "n5", "n6", "n7",
                "n8", "n9", "n10", "n11"), Arbitraries.integers().between(0, 2)).as((n, j) -> new Step(n, j > 0));
        return ranges.flatMap(r -> Arbitraries.integers().between(r.prefix(), Math.min(30, r.prefix() + 4))
                .flatMap(size -> steps.list().ofMaxSize(40).map(s -> new Scenario(r, size, s))));
    }

    @Property(tries = 300)
    void slicesStayDisjointAndNodesKeepTheirSlices(@ForAll("scenarios") Scenario s) {
        Set<String> nodes = new TreeSet<>();
        List<Slot> slots = List.of();
        for (Step step : s.steps()) {
            if (step.join()) {
                nodes.add(step.node());
            } else {
                nodes.remove(step.node());
            }
            List<Slot> next = SlicePlanner.plan(s.range(), s.sliceSize(), slots, nodes);
            check(s, nodes, slots, next);
            slots = next;
        }
    }

    private static void check(Scenario s, Set<String> nodes, List<Slot> before, List<Slot> after) {
        assertEquals(1 << (s.sliceSize() - s.range().prefix()), after.size());
        for (int i = 0; i < after.size(); i++) {
            Cidr slice = after.get(i).slice();
            assertTrue(s.range().contains(slice), slice + " outside " + s.range());
            assertEquals(s.sliceSize(), slice.prefix());
            for (int j = i + 1; j < after.size(); j++) {
                assertFalse(slice.overlaps(after.get(j).slice()), slice + " overlaps " + after.get(j).slice());
            }
        }
        Map<String, Cidr> holds = new HashMap<>();
        for (Slot slot : after) {
            if (!slot.free()) {
                assertTrue(nodes.contains(slot.nodeName()), "a node that left holds " + slot);
                assertEquals(null, holds.put(slot.nodeName(), slot.slice()), slot.nodeName() + " holds two slices");
            }
        }
        assertEquals(Math.min(nodes.size(), after.size()), holds.size(), "every node gets a slice while there are enough");
        for (Slot old : before) {
            if (!old.free() && nodes.contains(old.nodeName())) {
                assertEquals(old.slice(), holds.get(old.nodeName()), old.nodeName() + " moved");
            }
        }
    }

    @Property(tries = 200)
    void aFreedSliceGoesToTheNextNode(@ForAll("scenarios") Scenario s) {
        int count = 1 << (s.sliceSize() - s.range().prefix());
        if (count > 64) {
            return;
        }
        List<String> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            nodes.add(String.format("node-%03d", i));
        }
        List<Slot> full = SlicePlanner.plan(s.range(), s.sliceSize(), List.of(), nodes);
        String leaving = nodes.get(Math.floorMod(s.steps().size() * 7, count));
        Cidr freed = full.stream().filter(x -> x.nodeName().equals(leaving)).findFirst().orElseThrow().slice();
        Set<String> after = new HashSet<>(nodes);
        after.remove(leaving);
        after.add("newcomer");
        List<Slot> next = SlicePlanner.plan(s.range(), s.sliceSize(), full, after);
        assertEquals(freed, next.stream().filter(x -> x.nodeName().equals("newcomer")).findFirst().orElseThrow().slice());
    }
}
