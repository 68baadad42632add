package dev.whereabouts.controllers.slices;

import dev.whereabouts.ipam.api.Cidr;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Carves a range into equal slices and assigns them to nodes. Pure: no Kubernetes types, so the
 * slicing rules are tested as properties.
 *
 * <p>The rules: slices are the range's {@code /sliceSize} subnets in ascending order; a node keeps
 * the slice it has when that slice is still one of the layout's (so a range that grows, or a pool
 * rewritten after a restart, does not move any node); every other node gets the lowest free slice,
 * nodes taken in name order; a node that is gone frees its slice. Upstream instead re-slices from
 * scratch on any range or size change, which moves nodes away from the pools their pods' addresses
 * are recorded in.
 */
final class SlicePlanner {

    /**
     * Beyond this many slices the pool object would approach the API server's object size limit
     * (each entry is about 50 bytes of JSON), and no cluster has that many nodes.
     */
    static final int MAX_SLICES = 8192;

    private SlicePlanner() {}

    /**
     * The slices of {@code range}, ascending.
     *
     * @throws IllegalArgumentException when the slice is shorter than the range, leaves no usable
     *     address, or makes more than {@value #MAX_SLICES} slices
     */
    static List<Cidr> layout(Cidr range, int sliceSize) {
        Cidr r = range.canonical();
        int bits = r.address().bits();
        if (sliceSize < r.prefix() || sliceSize > bits - 2) {
            throw new IllegalArgumentException("slice size /" + sliceSize + " does not fit range " + r
                    + ": it must be at least /" + r.prefix() + " and leave two host bits");
        }
        int splitBits = sliceSize - r.prefix();
        if (splitBits > 31 || (1 << splitBits) > MAX_SLICES) {
            throw new IllegalArgumentException("range " + r + " in /" + sliceSize + " slices makes more than "
                    + MAX_SLICES + " slices");
        }
        List<Cidr> out = new ArrayList<>(1 << splitBits);
        BigInteger step = BigInteger.ONE.shiftLeft(bits - sliceSize);
        for (int i = 0; i < 1 << splitBits; i++) {
            out.add(new Cidr(r.network().plus(step.multiply(BigInteger.valueOf(i))), sliceSize));
        }
        return out;
    }

    /**
     * The slots of the pool after this pass: one per slice of the layout, in order.
     *
     * @param current the slots the pool holds now (any layout; those that do not fit are dropped)
     * @param nodes the nodes that exist now
     * @return the new slots; when the nodes outnumber the slices, the nodes last in name order have none
     */
    static List<Slot> plan(Cidr range, int sliceSize, List<Slot> current, Collection<String> nodes) {
        List<Cidr> slices = layout(range, sliceSize);
        Map<Cidr, Integer> index = new HashMap<>();
        for (int i = 0; i < slices.size(); i++) {
            index.put(slices.get(i), i);
        }
        Set<String> alive = new HashSet<>(nodes);
        String[] holder = new String[slices.size()];
        Set<String> placed = new HashSet<>();
        for (Slot s : current) {
            Integer i = index.get(s.slice());
            if (!s.free() && i != null && holder[i] == null && alive.contains(s.nodeName()) && placed.add(s.nodeName())) {
                holder[i] = s.nodeName();
            }
        }
        int next = 0;
        for (String node : new TreeSet<>(alive)) {
            if (placed.contains(node)) {
                continue;
            }
            while (next < holder.length && holder[next] != null) {
                next++;
            }
            if (next == holder.length) {
                break;
            }
            holder[next] = node;
        }
        List<Slot> out = new ArrayList<>(slices.size());
        for (int i = 0; i < slices.size(); i++) {
            out.add(new Slot(holder[i] == null ? "" : holder[i], slices.get(i)));
        }
        return out;
    }
}
