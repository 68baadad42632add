package dev.whereabouts.store.kubernetes.client;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * A client built by {@link KubernetesClients#connect} and the namespace whereabouts' objects live in.
 * Closing it closes the client and shuts down its HTTP threads: fabric8 alone leaves the JDK client's
 * selector thread to the garbage collector, and the store SPI promises that no thread outlives
 * {@code close()}.
 *
 * @since 0.1
 */
public final class KubernetesConnection implements AutoCloseable {

    private final KubernetesClient client;
    private final String namespace;
    private final ClosingJdkHttpClientFactory http;

    KubernetesConnection(KubernetesClient client, String namespace, ClosingJdkHttpClientFactory http) {
        this.client = client;
        this.namespace = namespace;
        this.http = http;
    }

    /** The client; its default namespace is {@link #namespace()}. */
    public KubernetesClient client() {
        return client;
    }

    /** Where whereabouts' objects (pools, reservations, node slices, Leases) live. */
    public String namespace() {
        return namespace;
    }

    /** Closes the client and stops its threads; idempotent. */
    @Override
    public void close() {
        client.close();
        http.shutdownAll();
    }
}
