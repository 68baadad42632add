package dev.whereabouts.bench.load;

import dev.whereabouts.ipam.engine.StoreProviders;
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
 * fabric8's mock API server in CRUD mode ({@link MockApiServer}) in this JVM, and the
 * {@code kubernetes} store found through the engine's store registry and pointed at it by a kubeconfig
 * file, as the installer would write one.
 */
public final class KubernetesMockTarget implements LoadTarget {

    private final MockApiServer server;
    private final Path kubeconfig;
    private final StoreProviders providers;

    /** Starts the mock server and installs the CRDs. */
    public KubernetesMockTarget() {
        server = new MockApiServer(new KubernetesCrudDispatcher(List.of()));
        try {
            kubeconfig = Files.createTempFile("bench-kubeconfig", ".yaml");
            Files.writeString(kubeconfig, MockApiServer.kubeconfig(server.port()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        providers = StoreProviders.discovered();
    }

    @Override
    public String describe() {
        return "kubernetes store on fabric8 CRUD mock API server (in-memory, loopback HTTP/1.1)";
    }

    @Override
    public IpamStore open() {
        return providers.open("kubernetes", new StoreConfig(Map.of("kubernetes", Map.of("kubeconfig", kubeconfig.toString()))));
    }

    @Override
    public void close() {
        server.close();
        try {
            Files.deleteIfExists(kubeconfig);
        } catch (IOException e) {
            // a leftover temp file does not spoil the numbers
        }
    }
}
