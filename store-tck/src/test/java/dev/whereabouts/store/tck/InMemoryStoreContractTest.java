package dev.whereabouts.store.tck;

import dev.whereabouts.ipam.spi.IpamStore;

/** The reference store obeys every law. */
class InMemoryStoreContractTest extends StoreContract {

    @Override
    protected StoreFixture createFixture() {
        InMemoryStore backend = InMemoryStore.create();
        return new StoreFixture() {
            @Override
            public IpamStore open() {
                return backend.newClient();
            }

            @Override
            public void close() {}
        };
    }
}
