package dev.whereabouts.store.file;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Shorthands shared by the tests. */
final class Stores {

    private Stores() {}

    static IpamStore open(Path dir) {
        return new FileStoreProvider().open(config(dir));
    }

    static StoreConfig config(Path dir) {
        return new StoreConfig(Map.of("datastore", "file", "file", Map.of("data_dir", dir.toString())));
    }

    static PoolKey pool(String cidr) {
        return PoolKey.of(Cidr.parse(cidr), "");
    }

    static IpAddress ip(String text) {
        return IpAddress.parse(text);
    }

    static Owner owner(String containerId) {
        return new Owner(containerId, "eth0", "default/" + containerId);
    }

    static PoolChange nothing() {
        return new PoolChange(List.of(), List.of(), List.of(), List.of());
    }

    static Allocation alloc(String ip, String containerId) {
        return new Allocation(ip(ip), owner(containerId));
    }
}
