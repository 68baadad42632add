package dev.whereabouts.store.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.InvalidConfigException;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.api.StoreUnavailableException;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import dev.whereabouts.store.kubernetes.client.KubernetesClients;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration, unreachable servers, bounded calls and thread hygiene. */
class ConnectionTest {

    static final PoolKey POOL = PoolKey.of(Cidr.parse("10.0.0.0/24"), "");

    @TempDir
    Path dir;

    StoreConfig configFor(Path kubeconfig) {
        return new StoreConfig(Map.of("kubernetes", Map.of("kubeconfig", kubeconfig.toString())));
    }

    Path kubeconfig(String server, String namespace) throws IOException {
        Path f = dir.resolve("kubeconfig");
        Files.writeString(f, MockCluster.kubeconfigText(server, namespace));
        return f;
    }

    @Test
    void providerIsNamedKubernetesAndKeysOnConnectionFieldsOnly() {
        var p = new KubernetesStoreProvider();
        assertEquals("kubernetes", p.name());
        var a = new StoreConfig(Map.of("range", "10.0.0.0/24", "kubernetes", Map.of("kubeconfig", "/etc/k.conf")));
        var b = new StoreConfig(Map.of("range", "10.9.0.0/16", "Kubernetes", Map.of("Kubeconfig", "/etc/k.conf")));
        var c = new StoreConfig(Map.of("kubernetes", Map.of("kubeconfig", "/etc/k.conf", "k8s_api_root", "https://x")));
        assertEquals(p.clientKey(a), p.clientKey(b));
        assertTrue(!p.clientKey(a).equals(p.clientKey(c)));
        var watching = new StoreConfig(Map.of("kubernetes", Map.of("kubeconfig", "/etc/k.conf", "watch_pools", true)));
        var notWatching = new StoreConfig(Map.of("kubernetes", Map.of("kubeconfig", "/etc/k.conf", "watch_pools", false)));
        assertNotEquals(p.clientKey(a), p.clientKey(watching), "a client that watches pools is not shared with one that does not");
        assertEquals(p.clientKey(a), p.clientKey(notWatching));
    }

    @Test
    void watchPoolsMustBeABoolean() {
        var p = new KubernetesStoreProvider();
        var wrong = new StoreConfig(Map.of("kubernetes", Map.of("kubeconfig", "/etc/k.conf", "watch_pools", "yes")));
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> p.clientKey(wrong));
        assertEquals(7, e.code());
        assertTrue(e.details().contains("kubernetes.watch_pools"), e.details());
    }

    @Test
    void namespaceDefaultsToKubeSystemWhenTheContextHasNone() throws IOException {
        try (var c = KubernetesClients.connect(configFor(kubeconfig("http://127.0.0.1:1", null)), Map.of())) {
            assertEquals("kube-system", c.namespace());
            assertEquals("kube-system", c.client().getNamespace());
        }
    }

    @Test
    void theContextsNamespaceAndTheSharedTimeoutsAreTheClients() throws IOException {
        try (var c = KubernetesClients.connect(configFor(kubeconfig("http://127.0.0.1:1", "ns-1")),
                Map.of("WHEREABOUTS_NAMESPACE", "ignored-with-a-kubeconfig"))) {
            assertEquals("ns-1", c.namespace());
            var cfg = c.client().getConfiguration();
            assertEquals(KubernetesClients.CONNECT_TIMEOUT_MS, cfg.getConnectionTimeout());
            assertEquals(KubernetesClients.REQUEST_TIMEOUT_MS, cfg.getRequestTimeout());
            assertEquals(0, cfg.getRequestRetryBackoffLimit());
        }
    }

    @Test
    void aMissingKubeconfigFileIsRetryable() {
        var e = assertThrows(StoreUnavailableException.class,
                () -> new KubernetesStoreProvider().open(configFor(dir.resolve("absent"))));
        assertEquals(IpamException.TRY_AGAIN_LATER, e.code());
    }

    @Test
    void noKubeconfigOutsideAClusterIsAnInvalidConfiguration() {
        var e = assertThrows(IpamException.class, () -> KubernetesClients.connect(new StoreConfig(Map.of()), Map.of()));
        assertEquals(IpamException.INVALID_CONFIG, e.code());
        assertTrue(e.details().contains("kubernetes.kubeconfig"), e.details());
    }

    @Test
    void anUnreachableServerMakesEveryCallThrowCode11() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (IpamStore store = new KubernetesStoreProvider().open(configFor(kubeconfig("http://127.0.0.1:" + port, "ns")))) {
            Owner o = new Owner("c", "eth0", "ns/p");
            List<Runnable> calls = List.of(store::checkAvailable, () -> store.read(POOL), store::pools,
                    store::reservations,
                    () -> store.commit(POOL, PoolVersion.ABSENT, PoolChange.put(new Allocation(IpAddress.parse("10.0.0.1"), o))));
            for (Runnable call : calls) {
                var e = assertThrows(StoreUnavailableException.class, call::run);
                assertEquals(IpamException.TRY_AGAIN_LATER, e.code());
            }
        }
    }

    @Test
    void aServerThatNeverAnswersEndsInCode11() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new ArrayList<>();
            Thread acceptor = Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            try (IpamStore store = new KubernetesStoreProvider().open(
                    configFor(kubeconfig("http://127.0.0.1:" + silent.getLocalPort(), "ns")))) {
                var e = assertThrows(StoreUnavailableException.class, store::checkAvailable);
                assertEquals(IpamException.TRY_AGAIN_LATER, e.code());
            }
            silent.close();
            acceptor.join();
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void noClientThreadOutlivesClose() throws Exception {
        try (MockCluster cluster = new MockCluster("threads")) {
            Set<Thread> before = Thread.getAllStackTraces().keySet();
            IpamStore store = cluster.open();
            store.checkAvailable();
            store.commit(POOL, PoolVersion.ABSENT,
                    PoolChange.put(new Allocation(IpAddress.parse("10.0.0.1"), new Owner("c", "eth0", "ns/p"))));
            store.read(POOL);
            store.close();
            List<String> left = List.of();
            for (int i = 0; i < 50; i++) {
                left = Thread.getAllStackTraces().keySet().stream()
                        .filter(Thread::isAlive)
                        .filter(t -> !before.contains(t))
                        // The mock server's Vert.x event loops start lazily per connection; they are
                        // the server's threads, not the client's (the store uses the JDK HTTP client).
                        .filter(t -> !t.getName().startsWith("vert.x-"))
                        .filter(t -> !t.isDaemon() || t.getName().contains("HttpClient"))
                        .map(Thread::getName).sorted().collect(Collectors.toList());
                if (left.isEmpty()) {
                    break;
                }
                Thread.sleep(100);
            }
            assertEquals(List.of(), left);
        }
    }
}
