package dev.whereabouts.hammer;

import dev.whereabouts.hammer.OpLog.Entry;
import dev.whereabouts.hammer.OpLog.Op;
import dev.whereabouts.ipam.api.AttachmentId;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Judges a run from the workers' journals and what the store holds.
 *
 * <p>An attachment holds its address at least from the end of its successful ADD to the start of
 * its next DEL. Those inner intervals can never overlap for one address in a correct run, whatever
 * the clocks' granularity, so any overlap is a real duplicate.
 */
final class HammerChecker {

    /** What the journals say. */
    record Journals(int operations, int adds, int dels, Map<AttachmentId, IpAddress> live, List<String> duplicates,
            List<String> unstable) {}

    private record Holding(AttachmentId who, long from, long until) {}

    private HammerChecker() {}

    static Journals readJournals(List<List<Entry>> journals) {
        int operations = 0;
        int adds = 0;
        int dels = 0;
        Map<AttachmentId, IpAddress> live = new HashMap<>();
        Map<IpAddress, List<Holding>> holdings = new HashMap<>();
        List<String> unstable = new ArrayList<>();
        for (List<Entry> journal : journals) {
            Map<AttachmentId, Long> heldSince = new HashMap<>();
            for (Entry e : journal) {
                AttachmentId a = new AttachmentId(e.containerId(), e.ifName());
                if (e.begin()) {
                    if (e.op() == Op.DEL && live.containsKey(a)) {
                        IpAddress ip = live.remove(a);
                        holdings.computeIfAbsent(ip, k -> new ArrayList<>()).add(new Holding(a, heldSince.remove(a), e.nanos()));
                    }
                    continue;
                }
                operations++;
                if (e.op() == Op.ADD) {
                    adds++;
                } else {
                    dels++;
                }
                if (e.op() == Op.ADD && e.ok()) {
                    IpAddress ip = IpAddress.parse(e.ip());
                    IpAddress before = live.put(a, ip);
                    if (before != null && !before.equals(ip)) {
                        unstable.add(a + " got " + ip + " on a repeated ADD, it held " + before);
                    }
                    heldSince.putIfAbsent(a, e.nanos());
                }
            }
            heldSince.forEach((a, from) -> holdings.computeIfAbsent(live.get(a), k -> new ArrayList<>())
                    .add(new Holding(a, from, Long.MAX_VALUE)));
        }
        return new Journals(operations, adds, dels, live, overlaps(holdings), unstable);
    }

    private static List<String> overlaps(Map<IpAddress, List<Holding>> holdings) {
        List<String> found = new ArrayList<>();
        holdings.forEach((ip, list) -> {
            for (int i = 0; i < list.size(); i++) {
                for (int j = i + 1; j < list.size(); j++) {
                    Holding x = list.get(i);
                    Holding y = list.get(j);
                    if (!x.who().equals(y.who()) && x.from() < y.until() && y.from() < x.until()) {
                        found.add(ip + " held by " + x.who() + " and " + y.who() + " at once");
                    }
                }
            }
        });
        return found;
    }

    /** Live attachments whose address the store does not record for them. */
    static List<String> lost(Map<AttachmentId, IpAddress> live, Map<IpAddress, Owner> stored) {
        List<String> lost = new ArrayList<>();
        live.forEach((a, ip) -> {
            Owner owner = stored.get(ip);
            if (owner == null || !a.owns(owner)) {
                lost.add(a + " was given " + ip + " but the store has " + owner);
            }
        });
        return lost;
    }

    /** Store entries that no live attachment accounts for (after GC, there must be none). */
    static List<String> leaked(Map<AttachmentId, IpAddress> live, Map<IpAddress, Owner> stored,
            Set<IpAddress> reserved) {
        List<String> leaked = new ArrayList<>();
        stored.forEach((ip, owner) -> {
            if (!ip.equals(live.get(owner.attachment()))) {
                leaked.add(ip + " still held by " + owner.attachment());
            }
        });
        for (IpAddress ip : reserved) {
            if (!live.containsValue(ip)) {
                leaked.add("reservation of " + ip + " outlived its allocation");
            }
        }
        return leaked;
    }
}
