package dev.whereabouts.ipam.engine;

import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import dev.whereabouts.ipam.spi.StoreProvider;

/** A provider whose constructor fails, as one in a jar with a missing dependency would. */
public final class BrokenStoreProvider implements StoreProvider {

    /** Always fails. */
    public BrokenStoreProvider() {
        throw new IllegalStateException("broken on purpose");
    }

    @Override
    public String name() {
        return "broken";
    }

    @Override
    public IpamStore open(StoreConfig config) {
        throw new UnsupportedOperationException();
    }
}
