package dev.whereabouts.bench.fault;

import dev.whereabouts.ipam.engine.StoreProviders;
import dev.whereabouts.bench.load.EtcdServer;
import dev.whereabouts.bench.load.MockApiServer;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A store the suite breaks: how the plugin reaches it, how to break and heal it, and a client that
 * reads it back around any fault (the mock's read-back skips the proxy).
 */
sealed interface FaultBackend extends AutoCloseable {

    /** The {@code ipam} members that select and reach the store. */
    String ipamFields();

    /** Breaks the store. */
    void inject(FaultKind fault);

    /** Heals it; returns once it serves again. */
    void heal(FaultKind fault);

    /** A fresh client for reading back, bypassing any fault. */
    IpamStore open();

    @Override
    void close();

    private static IpamStore open(String datastore, StoreConfig config) {
        return StoreProviders.discovered().open(datastore, config);
    }

    /** A real etcd; paused with SIGSTOP, or killed and restarted on the same ports and data. */
    final class Etcd implements FaultBackend {
        private final EtcdServer server;

        Etcd(Path dir) {
            server = new EtcdServer(dir);
        }

        @Override
        public String ipamFields() {
            return "\"datastore\":\"etcd\",\"etcd_host\":\"%s\",\"etcd_prefix\":\"/faults\"".formatted(server.endpoint());
        }

        @Override
        public void inject(FaultKind fault) {
            switch (fault) {
                case ETCD_PAUSE -> server.pause(true);
                case ETCD_RESTART -> server.kill();
                default -> { }
            }
        }

        @Override
        public void heal(FaultKind fault) {
            switch (fault) {
                case ETCD_PAUSE -> server.pause(false);
                case ETCD_RESTART -> server.restart();
                default -> { }
            }
        }

        @Override
        public IpamStore open() {
            return FaultBackend.open("etcd", new StoreConfig(Map.of("etcd_host", server.endpoint(),
                    "etcd_prefix", "/faults", "etcd_timeout_ms", 30_000)));
        }

        @Override
        public void close() {
            server.close();
        }
    }

    /** fabric8's mock API server behind a {@link FaultProxy}. */
    final class Mock implements FaultBackend {
        static {
            // MockWebServer logs every request at INFO through java.util.logging
            java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        }

        private final MockApiServer server = new MockApiServer(new KubernetesCrudDispatcher(List.of()));
        private final FaultProxy proxy = new FaultProxy(server.port(), 2000);
        private final Path viaProxy;
        private final Path direct;

        Mock(Path dir) {
            try {
                Files.createDirectories(dir);
                viaProxy = Files.writeString(dir.resolve("kubeconfig-proxy.yaml"), MockApiServer.kubeconfig(proxy.port()));
                direct = Files.writeString(dir.resolve("kubeconfig-direct.yaml"), MockApiServer.kubeconfig(server.port()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String ipamFields() {
            return "\"datastore\":\"kubernetes\",\"kubernetes\":{\"kubeconfig\":\"%s\"}".formatted(viaProxy);
        }

        @Override
        public void inject(FaultKind fault) {
            proxy.mode(switch (fault) {
                case MOCK_5XX -> FaultProxy.Mode.ERROR_503;
                case MOCK_SLOW -> FaultProxy.Mode.SLOW;
                case MOCK_RESET -> FaultProxy.Mode.RESET;
                default -> FaultProxy.Mode.PASS;
            });
        }

        @Override
        public void heal(FaultKind fault) {
            proxy.mode(FaultProxy.Mode.PASS);
        }

        @Override
        public IpamStore open() {
            return FaultBackend.open("kubernetes", new StoreConfig(Map.of("kubernetes", Map.of("kubeconfig", direct.toString()))));
        }

        @Override
        public void close() {
            proxy.close();
            server.close();
        }
    }
}
