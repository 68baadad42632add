package dev.whereabouts.controllers.slices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.whereabouts.ipam.api.Cidr;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlicePlannerTest {

    static Cidr cidr(String s) {
        return Cidr.parse(s);
    }

    @Test
    void slicesAreTheRangesSubnetsInOrderAndNodesTakeTheLowestFree() {
        List<Slot> slots = SlicePlanner.plan(cidr("10.0.0.0/8"), 10, List.of(), List.of("node2", "node1"));
        assertEquals(List.of(new Slot("node1", cidr("10.0.0.0/10")), new Slot("node2", cidr("10.64.0.0/10")),
                new Slot("", cidr("10.128.0.0/10")), new Slot("", cidr("10.192.0.0/10"))), slots);
    }

    @Test
    void aGrownRangeKeepsEveryNodesSlice() {
        List<Slot> before = SlicePlanner.plan(cidr("10.1.0.0/16"), 24, List.of(), List.of("a", "b"));
        List<Slot> after = SlicePlanner.plan(cidr("10.0.0.0/15"), 24, before, List.of("a", "b", "c"));
        assertEquals(new Slot("a", cidr("10.1.0.0/24")), after.get(256));
        assertEquals(new Slot("b", cidr("10.1.1.0/24")), after.get(257));
        assertEquals(new Slot("c", cidr("10.0.0.0/24")), after.get(0));
    }

    @Test
    void aSliceThatDoesNotFitIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SlicePlanner.layout(cidr("10.0.0.0/24"), 22));
        assertThrows(IllegalArgumentException.class, () -> SlicePlanner.layout(cidr("10.0.0.0/24"), 31));
        assertThrows(IllegalArgumentException.class, () -> SlicePlanner.layout(cidr("10.0.0.0/8"), 30));
        assertEquals(List.of(cidr("fd00::/65"), cidr("fd00:0:0:0:8000::/65")), SlicePlanner.layout(cidr("fd00::/64"), 65));
    }
}
