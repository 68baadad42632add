package dev.whereabouts.store.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.spi.StoreConfig;
import dev.whereabouts.store.kubernetes.client.KubernetesClients;
import dev.whereabouts.store.kubernetes.client.KubernetesConnection;
import io.fabric8.kubernetes.api.model.AuthProviderConfigBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plain transport of reservations and pool updates: the same requests as fabric8's client would
 * send (credentials, TLS), HTTP/1.1 framing as servers write it, kept-alive sockets that went stale,
 * and the way back to fabric8's client when credentials go stale.
 */
class ApiTransportTest {

    static final Owner A = new Owner("c-a", "eth0", "ns/a");
    static final String BASE = "/apis/whereabouts.cni.cncf.io/v1alpha1/namespaces/ns/";

    @TempDir
    Path dir;

    /** A client from the shipped factory, its kubeconfig's token {@code token}, trusting any certificate. */
    private KubernetesConnection connect(String server, String token) throws IOException {
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, MockCluster.kubeconfigText(server, "ns")
                .replace("token: test-token", "token: " + token)
                .replace("server: " + server, "server: " + server + "\n    insecure-skip-tls-verify: true"));
        return KubernetesClients.connect(new StoreConfig(Map.of("kubernetes", Map.of("kubeconfig", kubeconfig.toString()))),
                Map.of());
    }

    @Test
    void reservationsGoOverTlsWithTheKubeconfigsTokenOnKeptAliveSockets() throws Exception {
        var server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(List.of()), true);
        server.init(InetAddress.getLoopbackAddress(), 0);
        try (KubernetesConnection c = connect("https://127.0.0.1:" + server.getPort(), "tls-token");
             ApiTransport api = new ApiTransport(c.client())) {
            var requests = new ReservationRequests(api, "ns");
            Reservation r = new Reservation("", IpAddress.parse("10.0.0.7"), A);
            String version = requests.create(r);
            assertFalse(version.isEmpty());
            assertEquals(null, requests.create(r), "a second create meets the first object");
            assertEquals(ReservationRequests.Deleted.DELETED, requests.delete(r.objectName(), version));
            assertEquals(ReservationRequests.Deleted.MISSING, requests.delete(r.objectName(), version));
            assertEquals(4, server.getRequestCount());
            for (int i = 0; i < 4; i++) {
                RecordedRequest q = server.takeRequest(1, TimeUnit.SECONDS);
                assertEquals("Bearer tls-token", q.getHeader("Authorization"), q.getMethod() + " " + q.getPath());
                assertTrue(q.getPath().startsWith(BASE + "overlappingrangeipreservations"), q.getPath());
            }
        } finally {
            server.destroy();
        }
    }

    @Test
    void aStaleTokenSendsTheRequestThroughFabric8sClientInstead() throws Exception {
        var server = new KubernetesMockServer(false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        try (KubernetesConnection c = connect("http://127.0.0.1:" + server.getPort(), "old");
             ApiTransport api = new ApiTransport(c.client())) {
            server.expect().post().withPath(BASE + "overlappingrangeipreservations")
                    .andReturn(401, "{\"kind\":\"Status\",\"code\":401,\"message\":\"Unauthorized\"}").once();
            server.expect().post().withPath(BASE + "overlappingrangeipreservations")
                    .andReturn(201, "{\"metadata\":{\"name\":\"x\",\"resourceVersion\":\"12\"}}").once();
            server.expect().post().withPath(BASE + "overlappingrangeipreservations")
                    .andReturn(201, "{\"metadata\":{\"name\":\"y\",\"resourceVersion\":\"13\"}}").once();
            var requests = new ReservationRequests(api, "ns");
            assertEquals("12", requests.create(new Reservation("", IpAddress.parse("10.0.0.8"), A)));
            assertEquals("13", requests.create(new Reservation("", IpAddress.parse("10.0.0.9"), A)));
            assertEquals(3, server.getRequestCount(), "the refused request once more, then the next one, no more");
        } finally {
            server.destroy();
        }
    }

    @Test
    void chunkedInterimAndUnframedAnswersAreReadWhole() throws Exception {
        String chunked = "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "b;ext=1\r\n{\"metadata\"\r\n16\r\n:{\"resourceVersion\":\"7\r\n3\r\n\"}}\r\n0\r\nTrailer: x\r\n\r\n";
        String interim = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n{}";
        String unframed = "HTTP/1.0 200 OK\r\n\r\n{\"a\":1}";
        try (var fake = new FakeServer(i -> List.of(chunked, interim, unframed).get(i % 3), false);
             Http1Client client = fake.client()) {
            assertEquals("{\"metadata\":{\"resourceVersion\":\"7\"}}", text(client.send(fake.request(), new byte[0])));
            Http1Client.Answer afterInterim = client.send(fake.request(), new byte[0]);
            assertEquals(201, afterInterim.code());
            assertEquals("{}", text(afterInterim));
            Http1Client.Answer last = client.send(fake.request(), new byte[0]);
            assertEquals(200, last.code());
            assertEquals("{\"a\":1}", text(last));
            assertEquals(0, client.idleSockets(), "an answer framed by the end of the stream ends its socket");
        }
    }

    @Test
    void aKeptAliveSocketTheServerClosedIsReplacedWithoutLosingTheRequest() throws Exception {
        String ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}";
        try (var fake = new FakeServer(i -> ok, true); Http1Client client = fake.client()) {
            for (int i = 0; i < 3; i++) {
                assertEquals(200, client.send(fake.request(), "{}".getBytes(StandardCharsets.UTF_8)).code());
            }
            assertEquals(3, fake.connections.size(), "each request after the first found its socket closed");
            assertEquals(3, fake.requests.size());
            assertTrue(fake.requests.getFirst().startsWith("POST /apis/x HTTP/1.1\r\n"), fake.requests.getFirst());
            assertTrue(fake.requests.getFirst().contains("\r\nAuthorization: Bearer fake-token\r\n"), fake.requests.getFirst());
            assertTrue(fake.requests.getFirst().endsWith("\r\nContent-Length: 2\r\n\r\n{}"), fake.requests.getFirst());
        }
    }

    @Test
    void anIpv6LiteralServerIsReachedAndNamedInTheHostHeader() throws Exception {
        String ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}";
        try (var fake = new FakeServer(InetAddress.getByName("::1"), i -> ok, false); Http1Client client = fake.client()) {
            assertEquals(200, client.send(fake.request(), new byte[0]).code());
            assertTrue(fake.requests.getFirst().contains("\r\nHost: [0:0:0:0:0:0:0:1]:") || fake.requests.getFirst().contains("\r\nHost: [::1]:"),
                    fake.requests.getFirst());
        }
    }

    @Test
    void anAnswerCutShortIsAnErrorWithoutAStatus() throws Exception {
        try (var fake = new FakeServer(i -> "HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n{\"metadata\"", true);
             ApiTransport api = new ApiTransport(fake.connection.client())) {
            var e = assertThrows(KubernetesClientException.class, () -> api.send("PUT", fake.uri(), "{}"));
            assertTrue(e.getCode() <= 0, e.getCode() + " " + e.getMessage());
        }
    }

    @Test
    void theNewVersionIsReadWhereverTheServerPutsMetadata() {
        assertEquals("7", ApiTransport.resourceVersion(new Http1Client.Answer(200,
                "{\"spec\":{\"a\":[1,{\"resourceVersion\":\"9\"}]},\"metadata\":{\"x\":{},\"resourceVersion\":\"7\"}}"
                        .getBytes(StandardCharsets.UTF_8))));
        assertEquals("", ApiTransport.resourceVersion(new Http1Client.Answer(200, "{\"metadata\":{}}".getBytes(StandardCharsets.UTF_8))));
        assertThrows(KubernetesClientException.class,
                () -> ApiTransport.resourceVersion(new Http1Client.Answer(200, "<html>".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void configurationsOnlyFabric8sClientServesKeepIt() {
        Config base = new ConfigBuilder(Config.empty()).withMasterUrl("https://10.0.0.1:6443").build();
        assertTrue(Http1Client.forConfig(base).isPresent());
        assertTrue(Http1Client.forConfig(new ConfigBuilder(base).withHttpsProxy("http://proxy:3128").build()).isEmpty());
        assertTrue(Http1Client.forConfig(new ConfigBuilder(base).withTlsServerName("api.internal").build()).isEmpty());
        assertTrue(Http1Client.forConfig(new ConfigBuilder(base).withAuthProvider(
                new AuthProviderConfigBuilder().withName("oidc").build()).build()).isEmpty());
    }

    private static String text(Http1Client.Answer a) {
        return new String(a.body(), StandardCharsets.UTF_8);
    }

    /**
     * A loopback server that answers the n-th request with {@code answers.apply(n)}; with
     * {@code closeAfterEach} it closes every socket after one answer without saying so, as a server
     * whose idle timeout ran out does between two requests.
     */
    private final class FakeServer implements AutoCloseable {
        final ServerSocket socket;
        final List<Socket> connections = new CopyOnWriteArrayList<>();
        final List<String> requests = new CopyOnWriteArrayList<>();
        final KubernetesConnection connection;
        private final Thread acceptor;

        private final String authority;

        FakeServer(IntFunction<String> answers, boolean closeAfterEach) throws IOException {
            this(InetAddress.getLoopbackAddress(), answers, closeAfterEach);
        }

        FakeServer(InetAddress bind, IntFunction<String> answers, boolean closeAfterEach) throws IOException {
            socket = new ServerSocket(0, 50, bind);
            String host = bind.getHostAddress();
            authority = (host.contains(":") ? "[" + host + "]" : host) + ":" + socket.getLocalPort();
            connection = connect("http://" + authority, "fake-token");
            acceptor = Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (true) {
                        Socket s = socket.accept();
                        connections.add(s);
                        Thread.ofPlatform().daemon().start(() -> serve(s, answers, closeAfterEach));
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
        }

        private void serve(Socket s, IntFunction<String> answers, boolean closeAfterEach) {
            try (s) {
                InputStream in = s.getInputStream();
                String answer;
                do {
                    String request = readRequest(in);
                    if (request == null) {
                        return;
                    }
                    int n = requests.size();
                    requests.add(request);
                    answer = answers.apply(n);
                    s.getOutputStream().write(answer.getBytes(StandardCharsets.UTF_8));
                    s.getOutputStream().flush();
                } while (!closeAfterEach && !answer.startsWith("HTTP/1.0")); // 1.0 without a length: the end frames it
            } catch (IOException e) {
                // the client went away
            }
        }

        private static String readRequest(InputStream in) throws IOException {
            var head = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) >= 0) {
                head.write(c);
                String h = head.toString(StandardCharsets.UTF_8);
                if (h.endsWith("\r\n\r\n")) {
                    int at = h.indexOf("Content-Length: ");
                    int length = at < 0 ? 0 : Integer.parseInt(h.substring(at + 16, h.indexOf("\r\n", at)));
                    return h + new String(in.readNBytes(length), StandardCharsets.UTF_8);
                }
            }
            return null;
        }

        String uri() {
            return "http://" + authority + "/apis/x";
        }

        io.fabric8.kubernetes.client.http.HttpRequest request() {
            return connection.client().getHttpClient().newHttpRequestBuilder().uri(uri())
                    .post("application/json", new byte[0]).build();
        }

        Http1Client client() {
            return Http1Client.forConfig(connection.client().getConfiguration()).orElseThrow();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            try {
                acceptor.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (Socket s : new ArrayList<>(connections)) {
                s.close();
            }
            connection.close();
        }
    }
}
