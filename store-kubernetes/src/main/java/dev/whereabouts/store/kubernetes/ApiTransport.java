package dev.whereabouts.store.kubernetes;

import dev.whereabouts.store.kubernetes.client.KubernetesClients;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * The requests of every ADD and DEL (reservation creates and deletes, pool and turn Lease updates)
 * as plain JSON requests: on {@link Http1Client} when the configuration allows it, else on the store's own fabric8
 * client (same connection pool, credentials and timeouts). Answers come back as a status and bytes,
 * and the caller decodes only what it needs.
 *
 * <p>Why not the typed DSL: it decodes every answer into a full object (a tree read, then a bind
 * through the any-setter of {@code GenericKubernetesResource}), and the caller needs the status and
 * the new {@code resourceVersion}. Everything rarer (reads, re-owning, creates of pools and Leases)
 * still goes through the DSL.
 */
final class ApiTransport implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiTransport.class);
    private static final int UNAUTHORIZED = 401;
    private static final long PLAIN_PAUSE_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final JsonMapper JSON = JsonMapper.shared();

    private final HttpClient http;
    private final String root;
    private final long timeoutMillis;
    private final Http1Client plain; // null: every request on the fabric8 client
    private volatile boolean plainPaused;
    private volatile long plainResumesAt;

    ApiTransport(KubernetesClient client) {
        this.http = client.getHttpClient();
        String master = client.getMasterUrl().toString();
        this.root = master.endsWith("/") ? master : master + "/";
        this.timeoutMillis = client.getConfiguration().getRequestTimeout();
        this.plain = Http1Client.forConfig(client.getConfiguration()).orElse(null);
    }

    /** The URI of the objects of {@code kind} in {@code namespace}. */
    String collection(ResourceDefinitionContext kind, String namespace) {
        return root + "apis/" + kind.getGroup() + "/" + kind.getVersion() + "/namespaces/"
                + URLEncoder.encode(namespace, StandardCharsets.UTF_8) + "/" + kind.getPlural();
    }

    /** The URI of object {@code name} in {@code collection}. */
    static String object(String collection, String name) {
        return collection + "/" + URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    /**
     * Sends {@code json} with {@code method} to {@code uri}.
     *
     * @throws KubernetesClientException without a status code when no answer came
     */
    Http1Client.Answer send(String method, String uri, String json) {
        HttpRequest request = http.newHttpRequestBuilder().uri(uri).timeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .method(method, "application/json", json).build();
        if (plain != null && (!plainPaused || System.nanoTime() - plainResumesAt >= 0)) {
            plainPaused = false;
            try {
                Http1Client.Answer answer = plain.send(request, json.getBytes(StandardCharsets.UTF_8));
                if (answer.code() != UNAUTHORIZED) {
                    return answer;
                }
                // Stale credentials (a rotated token, an expired exec credential). fabric8's own
                // interceptors renew them on a 401, so this request goes through its client, and so
                // do the next minute's, rather than a 401 and a second request each.
                plainResumesAt = System.nanoTime() + PLAIN_PAUSE_NANOS;
                plainPaused = true;
                LOG.info("{} {} refused with 401; sending through the fabric8 client for a minute", method, uri);
            } catch (IOException e) {
                throw new KubernetesClientException(e.toString(), e); // no answer: no status code
            }
        }
        CompletableFuture<HttpResponse<byte[]>> answer = http.sendAsync(request, byte[].class);
        try {
            HttpResponse<byte[]> r = answer.get();
            return new Http1Client.Answer(r.code(), r.body() == null ? new byte[0] : r.body());
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted", e);
        } catch (ExecutionException e) {
            throw new KubernetesClientException(e.getCause().toString(), e.getCause()); // no answer: no status code
        }
    }

    /**
     * Replaces {@code object} in {@code collection} on the condition of its {@code resourceVersion}
     * and returns it at the version the server gave it. The server's answer is that same object
     * (what a PUT omits, such as managed fields, it keeps), so only the version is read from it:
     * decoding a whole pool cost as much as the request itself.
     *
     * @throws KubernetesClientException with the status of a refusal (409 for a lost race)
     */
    GenericKubernetesResource update(String collection, GenericKubernetesResource object) {
        String name = object.getMetadata().getName();
        Http1Client.Answer answer = send("PUT", object(collection, name), KubernetesClients.serialization().asJson(object));
        if (answer.code() != 200 && answer.code() != 201) {
            throw refused(answer);
        }
        String version = resourceVersion(answer);
        if (version.isEmpty()) {
            throw new KubernetesClientException("the answer to an update of " + name + " has no resourceVersion",
                    answer.code(), null);
        }
        GenericKubernetesResource written = new GenericKubernetesResource();
        written.setApiVersion(object.getApiVersion());
        written.setKind(object.getKind());
        written.setMetadata(new ObjectMetaBuilder(object.getMetadata()).withResourceVersion(version).build());
        written.setAdditionalProperties(object.getAdditionalProperties());
        return written;
    }

    /**
     * The {@code metadata.resourceVersion} of an object the server answered with ("" when it has
     * none), read without decoding the rest: the API server writes metadata before the spec, so a
     * pool's allocations are not even scanned.
     */
    static String resourceVersion(Http1Client.Answer answer) {
        try (JsonParser p = JSON.createParser(answer.body())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new KubernetesClientException("the answer is not a JSON object", answer.code(), null);
            }
            for (JsonToken t = p.nextToken(); t == JsonToken.PROPERTY_NAME; t = p.nextToken()) {
                boolean metadata = p.currentName().equals("metadata");
                if (p.nextToken() == JsonToken.START_OBJECT && metadata) {
                    for (JsonToken m = p.nextToken(); m == JsonToken.PROPERTY_NAME; m = p.nextToken()) {
                        boolean version = p.currentName().equals("resourceVersion");
                        if (p.nextToken() == JsonToken.VALUE_STRING && version) {
                            return p.getString();
                        }
                        p.skipChildren();
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (JacksonException e) {
            throw new KubernetesClientException("the answer is not JSON: " + e.getOriginalMessage(), answer.code(), null);
        }
        return "";
    }

    /**
     * The API server's refusal as the DSL would have thrown it, with its status code and message;
     * the caller says which request it was ({@link ApiErrors#unavailable}).
     */
    static KubernetesClientException refused(Http1Client.Answer answer) {
        byte[] body = answer.body();
        String message;
        try {
            message = JSON.readTree(body).path("message").asString(new String(body, StandardCharsets.UTF_8));
        } catch (JacksonException notJson) {
            message = new String(body, StandardCharsets.UTF_8);
        }
        return new KubernetesClientException(message, answer.code(), null);
    }

    @Override
    public void close() {
        if (plain != null) {
            plain.close();
        }
    }
}
