/**
 * The store contract kit. A store author extends {@link dev.whereabouts.store.tck.StoreContract} in a
 * test, supplies a {@link dev.whereabouts.store.tck.StoreFixture}, and every law of the
 * {@link dev.whereabouts.ipam.spi.IpamStore} contract runs against their store.
 *
 * <p>It also ships {@link dev.whereabouts.store.tck.InMemoryStore}, the reference store (provider name
 * {@code memory}) with fault injection for engine tests.
 */
module dev.whereabouts.store.tck {
    requires transitive dev.whereabouts.ipam.api;
    requires transitive org.junit.jupiter.api;

    exports dev.whereabouts.store.tck;
    opens dev.whereabouts.store.tck to org.junit.platform.commons;

    provides dev.whereabouts.ipam.spi.StoreProvider with dev.whereabouts.store.tck.InMemoryStoreProvider;
}
