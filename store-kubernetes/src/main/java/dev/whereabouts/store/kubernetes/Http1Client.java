package dev.whereabouts.store.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.http.TlsVersion;
import io.fabric8.kubernetes.client.internal.SSLUtils;
import io.fabric8.kubernetes.client.utils.HttpClientUtils;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * HTTP/1.1 exchanges with the API server on kept-alive sockets, written and read on the calling
 * thread: the transport of the reservation requests, which are one of every ADD and DEL.
 *
 * <p>Why not the store's fabric8 client: its JDK {@code HttpClient} passes every exchange between
 * the caller, its selector thread, its executor and fabric8's completion stages. In a bare loop of
 * reservation creates and deletes on the mock API server (8 callers) that cost 0.7-1.0 ms of CPU per
 * request, against 0.17-0.22 ms here. Nothing of the client's configuration is decided twice:
 * the headers (credentials, impersonation, user agent, custom headers) come from fabric8's own
 * interceptors for the same {@link Config}, and the TLS context from fabric8's own
 * {@link SSLUtils}. A configuration this class does not cover (a proxy, an OIDC auth provider, a TLS
 * server name) gets no instance, and those requests stay on the fabric8 client.
 */
final class Http1Client implements AutoCloseable {

    /** A status and the whole body. */
    record Answer(int code, byte[] body) {}

    /** An idle socket older than this may have been closed by the server or a middlebox: not reused. */
    private static final long MAX_IDLE_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final int MAX_IDLE_SOCKETS = 32;
    private static final int DEFAULT_TIMEOUT_MILLIS = 10_000;
    private static final Interceptor.RequestTags NO_TAGS = new Interceptor.RequestTags() {
        @Override
        public <T> T getTag(Class<T> type) {
            return null;
        }
    };

    private final URI master;
    private final String host;
    private final int port;
    private final String authority;
    private final SSLContext tls; // null: plain HTTP
    private final SSLParameters tlsParameters;
    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;
    private final List<Interceptor> interceptors;
    private final Deque<Http1Connection> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    private Http1Client(Config config, URI master, SSLContext tls) {
        this.master = master;
        String h = master.getHost(); // an IPv6 literal comes in brackets, which a socket and SNI do not take
        this.host = h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
        boolean https = tls != null;
        this.port = master.getPort() > 0 ? master.getPort() : https ? 443 : 80;
        this.authority = master.getRawAuthority();
        this.tls = tls;
        this.tlsParameters = https ? parameters(config, tls) : null;
        this.connectTimeoutMillis = orDefault(config.getConnectionTimeout());
        this.readTimeoutMillis = orDefault(config.getRequestTimeout());
        // no HTTP client factory: only an OIDC token refresh would use it, and forConfig refuses those
        this.interceptors = List.copyOf(HttpClientUtils.createApplicableInterceptors(config, null).values());
    }

    /** A client for {@code config}, or empty when its requests must stay on the fabric8 client. */
    static Optional<Http1Client> forConfig(Config config) {
        URI master;
        try {
            master = URI.create(config.getMasterUrl());
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
        boolean https = "https".equalsIgnoreCase(master.getScheme());
        if ((!https && !"http".equalsIgnoreCase(master.getScheme())) || master.getHost() == null
                || set(config.getHttpProxy()) || set(config.getHttpsProxy()) || set(config.getTlsServerName())
                || config.getAuthProvider() != null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Http1Client(config, master, https ? SSLUtils.sslContext(config) : null));
        } catch (Exception e) { // the fabric8 client builds the same context and reports the same failure
            return Optional.empty();
        }
    }

    /** fabric8's own default where a configuration leaves a timeout out. */
    private static int orDefault(Integer millis) {
        return millis == null || millis <= 0 ? DEFAULT_TIMEOUT_MILLIS : millis;
    }

    private static boolean set(String s) {
        return s != null && !s.isBlank();
    }

    private static SSLParameters parameters(Config config, SSLContext tls) {
        SSLParameters p = tls.getDefaultSSLParameters();
        if (!config.isTrustCerts() && !config.isDisableHostnameVerification()) {
            p.setEndpointIdentificationAlgorithm("HTTPS");
        }
        TlsVersion[] versions = config.getTlsVersions();
        if (versions != null && versions.length > 0) {
            p.setProtocols(Arrays.stream(versions).map(TlsVersion::javaName).toArray(String[]::new));
        }
        p.setApplicationProtocols(new String[] {"http/1.1"});
        return p;
    }

    /**
     * Sends {@code request} (a fabric8 request: its method, URI and the interceptors' view of it)
     * with {@code body} as JSON and reads the whole answer.
     *
     * @throws IOException when no complete answer came; the request may or may not have been
     *     processed, as with any client
     */
    Answer send(HttpRequest request, byte[] body) throws IOException {
        Headers headers = new Headers(request.uri());
        for (Interceptor i : interceptors) {
            i.before(headers, request, NO_TAGS);
        }
        byte[] wire = encode(request.method(), headers, body);
        Http1Connection reused = reuse();
        if (reused != null) {
            try {
                return exchange(reused, wire);
            } catch (Http1Connection.NothingReceived stale) {
                // The server closed the kept-alive socket before reading the request: nothing was
                // processed, so sending it once more on a fresh socket is safe.
            }
        }
        return exchange(open(), wire);
    }

    private Answer exchange(Http1Connection c, byte[] wire) throws IOException {
        try {
            Http1Connection.Response r = c.exchange(wire);
            if (r.keepAlive() && !closed && idle.size() < MAX_IDLE_SOCKETS) {
                idle.push(c);
            } else {
                c.close();
            }
            return new Answer(r.code(), r.body());
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private Http1Connection reuse() {
        for (Http1Connection c = idle.poll(); c != null; c = idle.poll()) {
            if (System.nanoTime() - c.idleSince() < MAX_IDLE_NANOS) {
                return c;
            }
            c.close();
        }
        return null;
    }

    private Http1Connection open() throws IOException {
        if (closed) {
            throw new IOException("client closed");
        }
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
            s.setSoTimeout(readTimeoutMillis); // bounds the TLS handshake too
            if (tls != null) {
                SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(s, host, port, true);
                secure.setSSLParameters(tlsParameters);
                secure.startHandshake();
                s = secure;
            }
            return new Http1Connection(s);
        } catch (SocketTimeoutException e) {
            s.close();
            throw new SocketTimeoutException("connecting to " + authority + ": " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private byte[] encode(String method, Headers headers, byte[] body) throws IOException {
        URI target = headers.uri;
        if (!authority.equals(target.getRawAuthority())) {
            throw new IOException("an interceptor sent the request to another server: " + target);
        }
        String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
        var head = new StringBuilder(256).append(method).append(' ').append(path);
        if (target.getRawQuery() != null) {
            head.append('?').append(target.getRawQuery());
        }
        head.append(" HTTP/1.1\r\nHost: ").append(authority).append("\r\n");
        for (String[] h : headers.list) {
            if (h[1].indexOf('\r') >= 0 || h[1].indexOf('\n') >= 0) {
                throw new IOException("header " + h[0] + " holds a line break"); // as the JDK client refuses it
            }
            head.append(h[0]).append(": ").append(h[1]).append("\r\n");
        }
        head.append("Accept: application/json\r\nContent-Type: application/json\r\nContent-Length: ")
                .append(body.length).append("\r\n\r\n");
        var out = new ByteArrayOutputStream(head.length() + body.length);
        out.write(head.toString().getBytes(StandardCharsets.UTF_8));
        out.write(body);
        return out.toByteArray();
    }

    /** Where the interceptors put their headers (and, rarely, a changed URI, which must stay on this server). */
    private final class Headers implements io.fabric8.kubernetes.client.http.BasicBuilder {
        final List<String[]> list = new ArrayList<>(4);
        URI uri;

        Headers(URI uri) {
            this.uri = uri;
        }

        @Override
        public Headers uri(URI changed) {
            this.uri = changed; // checked in encode, which may refuse it as an I/O failure
            return this;
        }

        @Override
        public Headers header(String name, String value) {
            list.add(new String[] {name, value});
            return this;
        }

        @Override
        public Headers setHeader(String name, String value) {
            list.removeIf(h -> h[0].equalsIgnoreCase(name));
            return header(name, value);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Http1Connection c = idle.poll(); c != null; c = idle.poll()) {
            c.close();
        }
    }

    /** For tests: how many sockets wait for reuse. */
    int idleSockets() {
        return idle.size();
    }
}
