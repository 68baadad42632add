package dev.whereabouts.bench.fault;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the runtime believes: which containers hold which address. A container certainly holds its
 * address from the end of its successful ADD to the start of its first DEL; two containers whose
 * certain holdings of one address overlap were handed a duplicate. (Judged by calls' ends and
 * starts, because a DEL's release and a racing ADD's commit may land in either order before both
 * processes exit.)
 */
final class Ledger {

    /** One container's holding of one address, in scenario nanoseconds. */
    private record Holding(String container, String ip, long from, long until) {}

    private final Map<String, Holding> current = new HashMap<>();
    private final List<Holding> done = new ArrayList<>();
    private final Map<String, String> live = new HashMap<>();

    synchronized void added(String container, String ip, long addEnd) {
        current.putIfAbsent(container, new Holding(container, ip, addEnd, Long.MAX_VALUE));
        live.put(container, ip);
    }

    synchronized void delStarted(String container, long start) {
        Holding h = current.remove(container);
        if (h != null) {
            done.add(new Holding(h.container(), h.ip(), h.from(), start));
        }
    }

    synchronized void deleted(String container) {
        live.remove(container);
    }

    /** Containers whose ADD succeeded and whose DEL has not: their addresses must stay in the store. */
    synchronized Map<String, String> live() {
        return Map.copyOf(live);
    }

    synchronized List<String> duplicates() {
        List<Holding> all = new ArrayList<>(done);
        all.addAll(current.values());
        all.sort(Comparator.comparing(Holding::ip).thenComparingLong(Holding::from));
        List<String> out = new ArrayList<>();
        Holding longest = null; // of the address at hand, the earlier holding that lasts longest
        for (Holding b : all) {
            if (longest != null && longest.ip().equals(b.ip()) && b.from() < longest.until()) {
                out.add(b.ip() + " handed to " + b.container() + " while " + longest.container() + " held it");
            }
            if (longest == null || !longest.ip().equals(b.ip()) || b.until() > longest.until()) {
                longest = b;
            }
        }
        return out;
    }
}
