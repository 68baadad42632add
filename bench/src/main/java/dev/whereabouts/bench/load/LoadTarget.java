package dev.whereabouts.bench.load;

import dev.whereabouts.ipam.spi.IpamStore;

/**
 * A backend that {@link StoreLoad} drives: it sets the backend up when created (a process, a mock
 * server, a directory), hands out clients, and tears everything down on {@link #close()}.
 *
 * <p>A target is one file in this package named {@code <Name>Target} with a public no-argument
 * constructor; {@code StoreLoad --target <name>} finds it by that name ({@code etcd} finds
 * {@code EtcdTarget}, {@code kubernetes-mock} finds {@code KubernetesMockTarget}).
 */
public interface LoadTarget extends AutoCloseable {

    /** A short label for the report, e.g. {@code etcd 3.4 (single member, loopback)}. */
    String describe();

    /**
     * A new client on the same backend; each simulated allocator gets its own, as each node's
     * daemon would. {@link StoreLoad} closes every client it opens.
     */
    IpamStore open();

    /** Stops the backend and deletes its data. */
    @Override
    void close();
}
