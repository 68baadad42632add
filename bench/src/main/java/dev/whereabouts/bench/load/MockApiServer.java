package dev.whereabouts.bench.load;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;

/**
 * fabric8's mock API server on loopback, answering through {@code dispatcher} (normally a
 * {@code KubernetesCrudDispatcher}, which stores objects like an API server), with the three
 * whereabouts CRDs installed. Shared by the in-process load harness and the burst's separate mock
 * process. Numbers from the mock measure the store and the client, not an API server: the mock
 * keeps everything in memory and has no etcd behind it.
 */
public final class MockApiServer implements AutoCloseable {

    private static final String[][] KINDS = {
        {"ippools", "IPPool"},
        {"overlappingrangeipreservations", "OverlappingRangeIPReservation"},
        {"nodeslicepools", "NodeSlicePool"},
    };

    private final KubernetesMockServer server;
    private final int port;

    /** Starts the server on a free loopback port and installs the CRDs. */
    public MockApiServer(Dispatcher dispatcher) {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        port = server.getPort();
        for (String[] kind : KINDS) {
            postCrd(kind[0], kind[1]);
        }
    }

    /** The loopback port the server listens on. */
    public int port() {
        return port;
    }

    /** A kubeconfig for the plugin, as the installer would write one, naming namespace {@code kube-system}. */
    public static String kubeconfig(int port) {
        return """
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
                """.formatted(port);
    }

    @Override
    public void close() {
        server.destroy();
    }

    private void postCrd(String plural, String kind) {
        String body = """
                {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
                 "metadata":{"name":"%1$s.whereabouts.cni.cncf.io"},
                 "spec":{"group":"whereabouts.cni.cncf.io","scope":"Namespaced",
                  "names":{"kind":"%2$s","listKind":"%2$sList","plural":"%1$s","singular":"%3$s"},
                  "versions":[{"name":"v1alpha1","served":true,"storage":true,
                   "schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}]}}
                """.formatted(plural, kind, kind.toLowerCase(Locale.ROOT));
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
