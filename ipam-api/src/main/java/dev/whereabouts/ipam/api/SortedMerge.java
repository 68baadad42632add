package dev.whereabouts.ipam.api;

import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A change merged into the sorted parallel arrays of a {@link SortedAllocations}: each changed
 * address is found by binary search and the stretches between them are copied whole, so a change
 * of a few entries costs a copy of the arrays, not a sort or a walk.
 *
 * @param keys the merged addresses (only the first {@code size} are used)
 * @param owners their owners
 * @param size how many entries the merge holds
 * @param replaced the entries the change took out (removed, or put over with another owner)
 * @param added the entries the change put in
 */
record SortedMerge(IpAddress[] keys, Owner[] owners, int size, List<Map.Entry<IpAddress, Owner>> replaced,
        List<Map.Entry<IpAddress, Owner>> added) {

    /** Merges {@code put} (written over) and {@code remove} (taken out) into {@code keys[from, to)}. */
    static SortedMerge of(IpAddress[] keys, Owner[] owners, int from, int to, Map<IpAddress, Owner> put,
            Collection<IpAddress> remove) {
        // Every change in address order; a null owner removes (TreeMap holds null values).
        TreeMap<IpAddress, Owner> changes = new TreeMap<>();
        remove.forEach(ip -> changes.put(ip, null));
        put.forEach((ip, owner) -> changes.put(ip, Objects.requireNonNull(owner, "owner")));
        IpAddress[] k = new IpAddress[to - from + put.size()];
        Owner[] o = new Owner[k.length];
        List<Map.Entry<IpAddress, Owner>> replaced = new ArrayList<>();
        List<Map.Entry<IpAddress, Owner>> added = new ArrayList<>();
        int n = 0;
        int i = from;
        for (Map.Entry<IpAddress, Owner> change : changes.entrySet()) {
            int at = Arrays.binarySearch(keys, i, to, Objects.requireNonNull(change.getKey(), "address"));
            int stop = at >= 0 ? at : -at - 1;
            System.arraycopy(keys, i, k, n, stop - i);
            System.arraycopy(owners, i, o, n, stop - i);
            n += stop - i;
            i = stop;
            if (at >= 0) {
                replaced.add(new SimpleImmutableEntry<>(keys[at], owners[at]));
                i++;
            }
            if (change.getValue() != null) {
                k[n] = change.getKey();
                o[n++] = change.getValue();
                added.add(change);
            }
        }
        System.arraycopy(keys, i, k, n, to - i);
        System.arraycopy(owners, i, o, n, to - i);
        n += to - i;
        return new SortedMerge(k, o, n, replaced, added);
    }
}
