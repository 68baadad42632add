package dev.whereabouts.store.file;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolSnapshot;
import dev.whereabouts.ipam.api.PoolVersion;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The content of one pool file.
 *
 * <p>The version handed to the engine is {@code <generation>.<incarnation>}: the generation grows by
 * one with every write, and the incarnation is a random id drawn when the pool file is created. The
 * incarnation keeps a version from matching after an operator deleted a pool file and it was created
 * again, which would otherwise restart the generation at 1.
 *
 * @param key the pool, kept in full because the file name alone is not the whole key
 * @param generation 1 for a new pool, then one more per write
 * @param incarnation random hex id of this pool file's life
 * @param allocations address to owner
 */
record PoolFile(PoolKey key, long generation, String incarnation, NavigableMap<IpAddress, Owner> allocations) {

    static final String KIND = "pool";

    PoolFile {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(incarnation, "incarnation");
        allocations = Collections.unmodifiableNavigableMap(new TreeMap<>(allocations));
    }

    /** The version token of this content. */
    PoolVersion version() {
        return new PoolVersion(generation + "." + incarnation);
    }

    PoolSnapshot snapshot() {
        return new PoolSnapshot(key, version(), allocations);
    }

    /** The content after one more write. */
    PoolFile next(NavigableMap<IpAddress, Owner> newAllocations) {
        return new PoolFile(key, generation + 1, incarnation, newAllocations);
    }

    String text() {
        List<List<String>> records = new ArrayList<>(allocations.size() + 5);
        records.add(List.of("range", key.range().toString()));
        records.add(List.of("network", key.networkName()));
        records.add(List.of("node", key.nodeName()));
        records.add(List.of("generation", Long.toString(generation)));
        records.add(List.of("incarnation", incarnation));
        allocations.forEach((ip, o) -> records.add(
                List.of("alloc", ip.toString(), o.containerId(), o.ifName(), o.podRef())));
        return RecordText.write(KIND, records);
    }

    /**
     * Parses a pool file.
     *
     * @throws IllegalArgumentException when the text is not a valid pool file
     */
    static PoolFile parse(String text) {
        List<List<String>> records = RecordText.read(KIND, text);
        Cidr range = null;
        String network = null;
        String node = null;
        long generation = -1;
        String incarnation = null;
        TreeMap<IpAddress, Owner> allocations = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        for (List<String> r : records) {
            String keyword = r.getFirst();
            if (!keyword.equals("alloc") && !seen.add(keyword)) {
                throw new IllegalArgumentException("repeated '" + keyword + "' record");
            }
            switch (keyword) {
                case "range" -> range = Cidr.parse(field(r, 1, 2));
                case "network" -> network = field(r, 1, 2);
                case "node" -> node = field(r, 1, 2);
                case "generation" -> generation = Long.parseLong(field(r, 1, 2));
                case "incarnation" -> incarnation = field(r, 1, 2);
                case "alloc" -> {
                    IpAddress ip = IpAddress.parse(field(r, 1, 5));
                    if (allocations.put(ip, new Owner(r.get(2), r.get(3), r.get(4))) != null) {
                        throw new IllegalArgumentException("address " + ip + " allocated twice");
                    }
                }
                default -> throw new IllegalArgumentException("unknown record '" + keyword + "'");
            }
        }
        if (range == null || network == null || node == null || generation < 1 || incarnation == null) {
            throw new IllegalArgumentException("pool file lacks range, network, node, generation or incarnation");
        }
        return new PoolFile(new PoolKey(range, network, node), generation, incarnation, allocations);
    }

    private static String field(List<String> record, int index, int size) {
        if (record.size() != size) {
            throw new IllegalArgumentException("record '" + record.getFirst() + "' needs " + (size - 1) + " fields");
        }
        return record.get(index);
    }
}
