package dev.whereabouts.ipam.engine;

import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import dev.whereabouts.ipam.spi.StoreProvider;

/** Claims the name {@code test-memory} too; registered only in {@code duplicate-providers/}. */
public final class DuplicateStoreProvider implements StoreProvider {

    /** For the ServiceLoader. */
    public DuplicateStoreProvider() {}

    @Override
    public String name() {
        return "test-memory";
    }

    @Override
    public IpamStore open(StoreConfig config) {
        return new TestStore();
    }
}
