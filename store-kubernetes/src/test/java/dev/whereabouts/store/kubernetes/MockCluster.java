package dev.whereabouts.store.kubernetes;

import dev.whereabouts.ipam.spi.StoreConfig;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * fabric8's mock API server in CRUD mode with our CRD manifests from {@code deploy/crds} installed,
 * and a kubeconfig file pointing at it, as the installer would write one.
 */
final class MockCluster implements AutoCloseable {

    static final Path CRDS = Path.of("..", "deploy", "crds");

    final KubernetesMockServer server;
    final NamespacedKubernetesClient admin;
    final String namespace;
    final Path dir;
    final Path kubeconfig;

    MockCluster(String namespace) {
        this(namespace, true);
    }

    MockCluster(String namespace, boolean crud) {
        this(namespace, crud ? new KubernetesCrudDispatcher(List.of()) : null);
    }

    /**
     * In CRUD mode, refusing every write whose body is over {@code maxBodyBytes} with {@code status}
     * and {@code message}, as an API server refuses objects over its or its etcd's request limit.
     */
    static MockCluster withBodyLimit(String namespace, int maxBodyBytes, int status, String message) {
        return new MockCluster(namespace, new KubernetesCrudDispatcher(List.of()) {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                boolean write = List.of("POST", "PUT", "PATCH").contains(request.getMethod());
                if (write && request.getBody().size() > maxBodyBytes) {
                    return new MockResponse().setResponseCode(status).setBody("""
                            {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"%s","code":%d}"""
                            .formatted(message, status));
                }
                return super.dispatch(request);
            }
        });
    }

    private MockCluster(String namespace, KubernetesCrudDispatcher crud) {
        this.namespace = namespace;
        this.server = crud != null
                ? new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), crud, false)
                : new KubernetesMockServer(false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        this.admin = server.createClient();
        try {
            this.dir = Files.createTempDirectory("k8s-store-test");
            this.kubeconfig = dir.resolve("whereabouts.kubeconfig");
            Files.writeString(kubeconfig, kubeconfigText(url(), namespace));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (crud != null) {
            installCrds();
        }
    }

    String url() {
        return "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + server.getPort();
    }

    static String kubeconfigText(String server, String namespace) {
        String ns = namespace == null ? "" : "\n    namespace: " + namespace;
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: %s
                users:
                - name: whereabouts
                  user:
                    token: test-token
                contexts:
                - name: whereabouts-context
                  context:
                    cluster: mock
                    user: whereabouts%s
                current-context: whereabouts-context
                """.formatted(server, ns);
    }

    private void installCrds() {
        try (Stream<Path> files = Files.list(CRDS)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    CustomResourceDefinition crd = admin.apiextensions().v1().customResourceDefinitions().load(in).item();
                    admin.apiextensions().v1().customResourceDefinitions().resource(crd).create();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    StoreConfig config() {
        return config(false);
    }

    /** With {@code watchPools}, the store follows the pools it writes ({@code kubernetes.watch_pools}). */
    StoreConfig config(boolean watchPools) {
        Map<String, Object> kubernetes = watchPools
                ? Map.of("kubeconfig", kubeconfig.toString(), KubernetesStoreProvider.WATCH_POOLS, true)
                : Map.of("kubeconfig", kubeconfig.toString());
        return new StoreConfig(Map.of("type", "whereabouts", "datastore", "kubernetes", "kubernetes", kubernetes));
    }

    KubernetesIpamStore open() {
        return open(false);
    }

    KubernetesIpamStore open(boolean watchPools) {
        return (KubernetesIpamStore) new KubernetesStoreProvider().open(config(watchPools));
    }

    @Override
    public void close() {
        admin.close();
        try {
            server.destroy();
        } catch (IllegalStateException e) {
            // fabric8's mock server gives up after 10 s when its HTTP server is slow to close (a
            // busy CI machine, a watch's socket still closing). The test's assertions are done and
            // each test has its own server on its own port, so a slow teardown is not a failure.
            if (!(e.getCause() instanceof java.util.concurrent.TimeoutException)) {
                throw e;
            }
            System.err.println("mock API server was slow to close: " + e.getMessage());
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
