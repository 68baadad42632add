package dev.whereabouts.bench.burst;

import dev.whereabouts.ipam.engine.StoreProviders;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A store backend the burst runs on: it starts the backend, tells the plugin how to reach it, counts
 * the requests the backend served, and reads back what is stored, through the same store SPI the
 * plugin uses, to prove that no address is lost or leaked.
 */
public interface ClusterStore extends AutoCloseable {

    /** {@code etcd}, {@code kubernetes-mock} or {@code file}. */
    String name();

    /** Whether only one node may use it (the file store is node-local, like host-local). */
    default boolean nodeLocal() {
        return false;
    }

    /**
     * The {@code ipam} members that select and reach this store, e.g. {@code "datastore":"etcd","etcd_host":"…"};
     * with {@code watchPools}, also the store's setting that follows written pools by a watch, if it has one.
     */
    String ipamFields(boolean watchPools);

    /** The store's configuration as the SPI takes it, for reading back. */
    StoreConfig storeConfig();

    /** Requests served so far by the backend, by kind ({@code requests} is the total); empty when not countable. */
    Map<String, Long> counters();

    /**
     * What the store still holds after every DEL: each leftover allocation or reservation as a line
     * whose second word is the address ({@code allocation 10.0.0.5 burst00042}). Stores whose backend
     * the SPI cannot read completely (another plugin's layout) add what they find of
     * {@code handedOut} by other means.
     */
    default List<String> leftovers(Collection<String> handedOut) {
        List<String> left = new ArrayList<>();
        allocations().forEach((ip, owner) -> left.add("allocation " + ip + " " + owner));
        try (IpamStore store = open()) {
            store.reservations().forEach(r -> left.add("reservation " + r.ip() + " " + r.owner().containerId()));
        }
        return left;
    }

    /**
     * Whether the backend's server is a JVM started for this run (the mock), which a burst would
     * otherwise meet before its JIT has warmed up; a cluster's API server has long been warm when a
     * burst comes. See {@link StoreWarmUp}.
     */
    default boolean serverStartsCold() {
        return false;
    }

    /** The backend's server process, when it runs as one here (for its CPU time). */
    default java.util.OptionalLong serverPid() {
        return java.util.OptionalLong.empty();
    }

    /** Every allocation in every pool, address to the container id holding it. */
    default Map<String, String> allocations() {
        Map<String, String> held = new HashMap<>();
        try (IpamStore store = open()) {
            for (PoolKey pool : store.pools()) {
                for (Map.Entry<IpAddress, Owner> e : store.read(pool).allocations().entrySet()) {
                    held.put(e.getKey().toString(), e.getValue().containerId());
                }
            }
        }
        return held;
    }

    /** A fresh SPI client on the store (found by {@link #name()}'s datastore, as the plugin finds it). */
    default IpamStore open() {
        String datastore = name().equals("kubernetes-mock") ? "kubernetes" : name();
        return StoreProviders.discovered().open(datastore, storeConfig());
    }

    /** Stops the backend and deletes its data. */
    @Override
    void close();
}
