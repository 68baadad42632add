package dev.whereabouts.hammer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.hammer.OpLog.Entry;
import dev.whereabouts.hammer.OpLog.Op;
import dev.whereabouts.ipam.api.AttachmentId;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The checker must see every kind of violation, or a green hammer run proves nothing. */
class HammerCheckerTest {

    private static Entry begin(long t, Op op, String cid) {
        return new Entry(true, t, t, op, cid, "net1", null, null);
    }

    private static Entry end(long t, Op op, String cid, String ip) {
        return new Entry(false, t, t, op, cid, "net1", "OK", ip);
    }

    @Test
    void twoAttachmentsHoldingOneAddressAtOnceIsADuplicate() {
        var a = List.of(begin(1, Op.ADD, "a"), end(2, Op.ADD, "a", "10.0.0.1"), begin(10, Op.DEL, "a"), end(11, Op.DEL, "a", "-"));
        var b = List.of(begin(3, Op.ADD, "b"), end(4, Op.ADD, "b", "10.0.0.1"));
        assertEquals(1, HammerChecker.readJournals(List.of(a, b)).duplicates().size());
    }

    @Test
    void reuseAfterTheDelBeganIsNotADuplicate() {
        var a = List.of(begin(1, Op.ADD, "a"), end(2, Op.ADD, "a", "10.0.0.1"), begin(3, Op.DEL, "a"), end(5, Op.DEL, "a", "-"));
        var b = List.of(begin(4, Op.ADD, "b"), end(6, Op.ADD, "b", "10.0.0.1"));
        HammerChecker.Journals seen = HammerChecker.readJournals(List.of(a, b));
        assertTrue(seen.duplicates().isEmpty(), seen.duplicates().toString());
        assertEquals(Map.of(new AttachmentId("b", "net1"), IpAddress.parse("10.0.0.1")), seen.live());
    }

    @Test
    void aRepeatedAddThatMovesTheAddressIsUnstable() {
        var a = List.of(end(2, Op.ADD, "a", "10.0.0.1"), end(3, Op.ADD, "a", "10.0.0.2"));
        assertEquals(1, HammerChecker.readJournals(List.of(a)).unstable().size());
    }

    @Test
    void aSuccessfulAddMissingFromTheStoreIsLost() {
        var live = Map.of(new AttachmentId("a", "net1"), IpAddress.parse("10.0.0.1"));
        assertEquals(1, HammerChecker.lost(live, Map.of()).size());
        assertEquals(1, HammerChecker.lost(live, Map.of(IpAddress.parse("10.0.0.1"), new Owner("b", "net1", ""))).size());
        assertEquals(0, HammerChecker.lost(live, Map.of(IpAddress.parse("10.0.0.1"), new Owner("a", "net1", "x/y"))).size());
    }

    @Test
    void entriesAndReservationsWithoutALiveAttachmentAreLeaks() {
        var live = Map.of(new AttachmentId("a", "net1"), IpAddress.parse("10.0.0.1"));
        var stored = Map.of(IpAddress.parse("10.0.0.1"), new Owner("a", "net1", ""),
                IpAddress.parse("10.0.0.2"), new Owner("gone", "net1", ""));
        assertEquals(2, HammerChecker.leaked(live, stored, Set.of(IpAddress.parse("10.0.0.3"))).size());
        assertEquals(0, HammerChecker.leaked(live, Map.of(IpAddress.parse("10.0.0.1"), new Owner("a", "net1", "")),
                Set.of(IpAddress.parse("10.0.0.1"))).size());
    }
}
