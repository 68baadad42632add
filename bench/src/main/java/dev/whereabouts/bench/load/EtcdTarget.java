package dev.whereabouts.bench.load;

import dev.whereabouts.ipam.engine.StoreProviders;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real single-member etcd ({@link EtcdServer}) and the {@code etcd} store found through
 * the engine's store registry as the plugin finds it.
 *
 * <p>The data directory defaults to the system temp directory; {@code -Dbench.etcd.dir=/dev/shm}
 * takes fsync out of the picture to measure the client side alone.
 */
public final class EtcdTarget implements LoadTarget {

    private final EtcdServer server;
    private final StoreProviders providers;

    /** Starts etcd and waits until it answers {@code /health}. */
    public EtcdTarget() {
        this.server = new EtcdServer(Path.of(System.getProperty("bench.etcd.dir", System.getProperty("java.io.tmpdir"))));
        this.providers = StoreProviders.discovered();
    }

    @Override
    public String describe() {
        return "etcd " + EtcdServer.version() + " (single member, loopback, data in " + server.dir().getParent() + ")";
    }

    @Override
    public IpamStore open() {
        return providers.open("etcd", new StoreConfig(Map.of("etcd_host", server.endpoint(),
                "etcd_prefix", "/bench", "etcd_timeout_ms", 30_000)));
    }

    @Override
    public void close() {
        server.close();
    }
}
