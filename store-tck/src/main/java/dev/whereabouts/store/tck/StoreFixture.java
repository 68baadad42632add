package dev.whereabouts.store.tck;

import dev.whereabouts.ipam.spi.IpamStore;

/**
 * What a store author supplies to the contract kit: a fresh, empty backend and a way to open clients
 * on it.
 *
 * <pre>{@code
 * class MyStoreContractTest extends StoreContract {
 *     @Override
 *     protected StoreFixture createFixture() throws Exception {
 *         Path dir = Files.createTempDirectory("my-store");
 *         return new StoreFixture() {
 *             public IpamStore open() { return new MyStoreProvider().open(configFor(dir)); }
 *             public void close() throws Exception { deleteRecursively(dir); }
 *         };
 *     }
 * }
 * }</pre>
 *
 * @since 0.1
 */
public interface StoreFixture extends AutoCloseable {

    /**
     * Opens a new client on the same backend. The kit calls this several times in one law (to check
     * that data survives a re-open and that clients see each other's writes) and closes every client
     * it opens.
     */
    IpamStore open();

    /** Tears the backend down: temp directories, key prefixes, namespaces, servers. */
    @Override
    void close() throws Exception;
}
