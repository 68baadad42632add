package dev.whereabouts.store.kubernetes.client;

import dev.whereabouts.ipam.api.InvalidConfigException;
import dev.whereabouts.ipam.api.StoreUnavailableException;
import dev.whereabouts.ipam.spi.StoreConfig;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The one place a fabric8 client is built, for the plugin's store, the reconciler, the operator CLI
 * and the controllers alike, so that they reach the same cluster and namespace with the same
 * timeouts. From the {@code kubernetes} section (of the {@code ipam} section or the flat file):
 * <ul>
 *   <li>{@code kubernetes.kubeconfig} names a kubeconfig file: its current context gives server,
 *       credentials and namespace ({@value #DEFAULT_NAMESPACE} when the context names none). A file
 *       that does not exist yet is code 11 (the installer writes it; a retry is the right answer);
 *       a directory or a file that does not parse is code 7.</li>
 *   <li>Without one, the pod's service account: server from {@code kubernetes.k8s_api_root}, else
 *       {@code KUBERNETES_SERVICE_HOST}/{@code _PORT}; namespace from {@code WHEREABOUTS_NAMESPACE},
 *       else {@value #DEFAULT_NAMESPACE}. Outside a pod that is code 7.</li>
 * </ul>
 * Nothing else is probed (no {@code ~/.kube/config}, no system properties): the plugin is exec'd per
 * CNI call, so start-up time matters, and a node must never pick up an unrelated kubeconfig by
 * accident.
 *
 * <p>Every request is bounded by a {@value #CONNECT_TIMEOUT_MS} ms connect and a
 * {@value #REQUEST_TIMEOUT_MS} ms request timeout (until the server starts answering) and is not
 * retried by the client: each caller has its own retry (the engine's budget, the reconciler's next
 * pass, the informers' re-list), and a client that retried on top would make them wait unbounded.
 *
 * @since 0.1
 */
public final class KubernetesClients {

    /** Upstream's namespace when nothing names one. */
    public static final String DEFAULT_NAMESPACE = "kube-system";
    /** How long connecting to the API server may take, in milliseconds. */
    public static final int CONNECT_TIMEOUT_MS = 3_000;
    /** How long the API server may take to start answering a request, in milliseconds. */
    public static final int REQUEST_TIMEOUT_MS = 5_000;

    private static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");
    /**
     * One serialization for every client this process builds: Jackson builds its deserializers once
     * per mapper, and the daemon's start-up warm-up ({@link #serialization()}) builds and compiles
     * them before the first call needs them.
     */
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private KubernetesClients() {}

    /**
     * The fields of the section that decide which client {@link #connect} builds: two sections with
     * the same key reach the same server as the same user.
     */
    public static String connectionKey(StoreConfig ipam) {
        return kubeconfig(ipam) + "|" + apiRoot(ipam);
    }

    private static String kubeconfig(StoreConfig ipam) {
        return ipam.section("kubernetes").string("kubeconfig").orElse("");
    }

    private static String apiRoot(StoreConfig ipam) {
        return ipam.section("kubernetes").string("k8s_api_root").orElse("");
    }

    /**
     * Builds a client by the rules above; close the connection to stop its threads.
     *
     * @param ipam the section holding {@code kubernetes}
     * @param env the environment ({@code WHEREABOUTS_NAMESPACE}, {@code KUBERNETES_SERVICE_HOST}, ...)
     * @throws dev.whereabouts.ipam.api.IpamException code 7 for a configuration that can never work,
     *     11 for a kubeconfig that is not there yet
     */
    public static KubernetesConnection connect(StoreConfig ipam, Map<String, String> env) {
        String kubeconfig = kubeconfig(ipam);
        String apiRoot = apiRoot(ipam);
        Config base;
        String namespace;
        if (!kubeconfig.isEmpty()) {
            File file = new File(kubeconfig);
            if (file.isDirectory()) {
                throw new InvalidConfigException("kubernetes.kubeconfig", kubeconfig, "is a directory, not a kubeconfig file");
            }
            if (!file.isFile()) {
                // The installer writes this file; until it exists a retry is the right answer.
                throw new StoreUnavailableException("kubeconfig " + kubeconfig + " does not exist", null);
            }
            try {
                base = Config.fromKubeconfig(null, file);
            } catch (RuntimeException e) {
                // The parser's message quotes the file; the caller may not be allowed to read it.
                throw new InvalidConfigException("kubernetes.kubeconfig", kubeconfig,
                        "not a usable kubeconfig: it does not parse as YAML of that shape");
            }
            NamedContext ctx = base.getCurrentContext();
            String ns = ctx == null || ctx.getContext() == null ? null : ctx.getContext().getNamespace();
            namespace = ns == null || ns.isBlank() ? DEFAULT_NAMESPACE : ns;
        } else {
            // Only here does k8s_api_root count: upstream parses it but never uses it, so with a
            // kubeconfig a stale value from an old configuration must not redirect us.
            base = inCluster(env, apiRoot);
            namespace = env.getOrDefault("WHEREABOUTS_NAMESPACE", DEFAULT_NAMESPACE);
        }
        ConfigBuilder b = new ConfigBuilder(base)
                .withNamespace(namespace)
                .withConnectionTimeout(CONNECT_TIMEOUT_MS)
                .withRequestTimeout(REQUEST_TIMEOUT_MS)
                // fabric8 retries failed requests with back-off by default; a CNI call must not wait.
                .withRequestRetryBackoffLimit(0);
        ClosingJdkHttpClientFactory http = new ClosingJdkHttpClientFactory();
        KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(b.build())
                .withHttpClientFactory(http)
                .withKubernetesSerialization(SERIALIZATION)
                .build();
        return new KubernetesConnection(client, namespace, http);
    }

    /** The serialization every client of this process decodes and encodes with. */
    public static KubernetesSerialization serialization() {
        return SERIALIZATION;
    }

    private static Config inCluster(Map<String, String> env, String apiRoot) {
        String host = env.get("KUBERNETES_SERVICE_HOST");
        String port = env.getOrDefault("KUBERNETES_SERVICE_PORT", "443");
        Path token = SERVICE_ACCOUNT.resolve("token");
        if ((host == null && apiRoot.isEmpty()) || !Files.isReadable(token)) {
            throw new InvalidConfigException("kubernetes.kubeconfig", "",
                    "required: no kubeconfig given and no in-cluster service account found");
        }
        String master = !apiRoot.isEmpty() ? apiRoot
                : "https://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        Path ca = SERVICE_ACCOUNT.resolve("ca.crt");
        ConfigBuilder b = new ConfigBuilder(Config.empty())
                .withMasterUrl(master)
                // Projected tokens rotate: read the file on every request instead of once.
                .withOauthTokenProvider(() -> readToken(token));
        if (Files.isReadable(ca)) {
            b.withCaCertFile(ca.toString());
        }
        return b.build();
    }

    private static String readToken(Path token) {
        try {
            return Files.readString(token).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
