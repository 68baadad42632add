package dev.whereabouts.cni.launcher;

import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.engine.StoreProviders;
import dev.whereabouts.ipam.spi.StoreConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** Reads a file store's directory through the real store provider, to check what the plugin left. */
final class StoreView {

    private StoreView() {
    }

    /** Every allocation in every pool of the file store at {@code dataDir}. */
    static Map<IpAddress, Owner> allocations(Path dataDir) {
        Map<IpAddress, Owner> all = new TreeMap<>();
        try (var store = StoreProviders.discovered().open(new StoreConfig(Map.of("datastore", "file",
                "file", Map.of("data_dir", dataDir.toString()))))) {
            for (var key : store.pools()) {
                store.read(key).allocations().forEach((ip, owner) -> {
                    if (all.put(ip, owner) != null) {
                        throw new AssertionError(ip + " held twice");
                    }
                });
            }
        }
        return all;
    }
}
