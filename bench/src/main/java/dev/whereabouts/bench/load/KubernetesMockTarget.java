package dev.whereabouts.bench.load;

import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import dev.whereabouts.ipam.spi.StoreProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * fabric8's mock API server in CRUD mode on loopback with the three whereabouts CRDs, and the
 * {@code kubernetes} store found through {@link ServiceLoader} and pointed at it by a kubeconfig
 * file, as the installer would write one.
 *
 * <p>The mock is reached by reflection and the CRDs are posted over a plain socket, so this module
 * needs no compile-time dependency on the mock (it only has to be on the run-time path, which the
 * bench pom provides). Numbers from the mock measure the store and the client, not an API server:
 * the mock keeps everything in memory and has no etcd behind it.
 */
public final class KubernetesMockTarget implements LoadTarget {

    private static final String[][] KINDS = {
        {"ippools", "IPPool"},
        {"overlappingrangeipreservations", "OverlappingRangeIPReservation"},
        {"nodeslicepools", "NodeSlicePool"},
    };

    private final Object server;
    private final int port;
    private final Path kubeconfig;
    private final StoreProvider provider;

    /** Starts the mock server and installs the CRDs. */
    public KubernetesMockTarget() {
        try {
            Class<?> context = Class.forName("io.fabric8.mockwebserver.Context");
            Class<?> web = Class.forName("io.fabric8.mockwebserver.MockWebServer");
            Class<?> dispatcher = Class.forName("io.fabric8.mockwebserver.http.Dispatcher");
            Object crud = Class.forName("io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher")
                    .getConstructor(List.class).newInstance(List.of());
            Class<?> mock = Class.forName("io.fabric8.kubernetes.client.server.mock.KubernetesMockServer");
            server = mock.getConstructor(context, web, Map.class, dispatcher, boolean.class).newInstance(
                    context.getConstructor().newInstance(), web.getConstructor().newInstance(), new HashMap<>(), crud, false);
            mock.getMethod("init", InetAddress.class, int.class).invoke(server, InetAddress.getLoopbackAddress(), 0);
            port = (int) mock.getMethod("getPort").invoke(server);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("fabric8 kubernetes-server-mock is not on the path", e);
        }
        for (String[] kind : KINDS) {
            postCrd(kind[0], kind[1]);
        }
        try {
            kubeconfig = Files.createTempFile("bench-kubeconfig", ".yaml");
            Files.writeString(kubeconfig, """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - name: mock
                      cluster:
                        server: http://127.0.0.1:%d
                    users:
                    - name: whereabouts
                      user:
                        token: bench
                    contexts:
                    - name: whereabouts-context
                      context:
                        cluster: mock
                        user: whereabouts
                        namespace: kube-system
                    current-context: whereabouts-context
                    """.formatted(port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        provider = ServiceLoader.load(StoreProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("kubernetes")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no 'kubernetes' StoreProvider on the path (store-kubernetes)"));
    }

    @Override
    public String describe() {
        return "kubernetes store on fabric8 CRUD mock API server (in-memory, loopback HTTP/1.1)";
    }

    @Override
    public IpamStore open() {
        return provider.open(new StoreConfig(Map.of("kubernetes", Map.of("kubeconfig", kubeconfig.toString()))));
    }

    @Override
    public void close() {
        try {
            server.getClass().getMethod("destroy").invoke(server);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        try {
            Files.deleteIfExists(kubeconfig);
        } catch (IOException e) {
            // a leftover temp file does not spoil the numbers
        }
    }

    private void postCrd(String plural, String kind) {
        String body = """
                {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
                 "metadata":{"name":"%1$s.whereabouts.cni.cncf.io"},
                 "spec":{"group":"whereabouts.cni.cncf.io","scope":"Namespaced",
                  "names":{"kind":"%2$s","listKind":"%2$sList","plural":"%1$s","singular":"%3$s"},
                  "versions":[{"name":"v1alpha1","served":true,"storage":true,
                   "schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}]}}
                """.formatted(plural, kind, kind.toLowerCase(java.util.Locale.ROOT));
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /apis/apiextensions.k8s.io/v1/customresourcedefinitions HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + b.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(b);
            out.flush();
            InputStream in = s.getInputStream();
            String status = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("");
            if (!status.contains(" 201 ") && !status.contains(" 200 ")) {
                throw new IllegalStateException("mock refused CRD " + plural + ": " + status);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
