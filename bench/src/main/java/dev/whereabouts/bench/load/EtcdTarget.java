package dev.whereabouts.bench.load;

import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import dev.whereabouts.ipam.spi.StoreProvider;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * A real single-member etcd ({@link EtcdServer}) and the {@code etcd} store found through
 * {@link ServiceLoader} as the plugin finds it.
 *
 * <p>The data directory defaults to the system temp directory; {@code -Dbench.etcd.dir=/dev/shm}
 * takes fsync out of the picture to measure the client side alone.
 */
public final class EtcdTarget implements LoadTarget {

    private final EtcdServer server;
    private final StoreProvider provider;

    /** Starts etcd and waits until it answers {@code /health}. */
    public EtcdTarget() {
        this.server = new EtcdServer(Path.of(System.getProperty("bench.etcd.dir", System.getProperty("java.io.tmpdir"))));
        this.provider = ServiceLoader.load(StoreProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("etcd")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no 'etcd' StoreProvider on the path (store-etcd)"));
    }

    @Override
    public String describe() {
        return "etcd " + EtcdServer.version() + " (single member, loopback, data in " + server.dir().getParent() + ")";
    }

    @Override
    public IpamStore open() {
        return provider.open(new StoreConfig(Map.of("etcd_host", server.endpoint(),
                "etcd_prefix", "/bench", "etcd_timeout_ms", 30_000)));
    }

    @Override
    public void close() {
        server.close();
    }
}
