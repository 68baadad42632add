package dev.whereabouts.store.kubernetes.client;

import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.InetAddress;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * fabric8's JDK HTTP client factory, plus a real shutdown. fabric8 only stops the executor on
 * close and leaves the JDK client's selector thread to the garbage collector; the SPI promises that
 * no thread outlives {@code close()}, so we keep every JDK client built and shut it down ourselves.
 */
final class ClosingJdkHttpClientFactory extends JdkHttpClientFactory {

    private final List<HttpClient> built = new CopyOnWriteArrayList<>();

    @Override
    protected HttpClient.Builder createNewHttpClientBuilder() {
        return new Recording(super.createNewHttpClientBuilder());
    }

    /** Shuts down every JDK client this factory built; idempotent. */
    void shutdownAll() {
        for (HttpClient c : built) {
            c.shutdownNow();
        }
        built.clear();
    }

    private final class Recording implements HttpClient.Builder {
        private final HttpClient.Builder d;

        Recording(HttpClient.Builder d) {
            this.d = d;
        }

        @Override
        public HttpClient build() {
            HttpClient c = d.build();
            built.add(c);
            return c;
        }

        @Override
        public HttpClient.Builder cookieHandler(CookieHandler h) {
            d.cookieHandler(h);
            return this;
        }

        @Override
        public HttpClient.Builder connectTimeout(Duration t) {
            d.connectTimeout(t);
            return this;
        }

        @Override
        public HttpClient.Builder sslContext(SSLContext c) {
            d.sslContext(c);
            return this;
        }

        @Override
        public HttpClient.Builder sslParameters(SSLParameters p) {
            d.sslParameters(p);
            return this;
        }

        @Override
        public HttpClient.Builder executor(Executor e) {
            d.executor(e);
            return this;
        }

        @Override
        public HttpClient.Builder followRedirects(HttpClient.Redirect r) {
            d.followRedirects(r);
            return this;
        }

        @Override
        public HttpClient.Builder version(HttpClient.Version v) {
            d.version(v);
            return this;
        }

        @Override
        public HttpClient.Builder priority(int p) {
            d.priority(p);
            return this;
        }

        @Override
        public HttpClient.Builder proxy(ProxySelector p) {
            d.proxy(p);
            return this;
        }

        @Override
        public HttpClient.Builder authenticator(Authenticator a) {
            d.authenticator(a);
            return this;
        }

        @Override
        public HttpClient.Builder localAddress(InetAddress a) {
            d.localAddress(a);
            return this;
        }
    }
}
