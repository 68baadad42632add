package dev.whereabouts.store.kubernetes;

import dev.whereabouts.ipam.api.InvalidConfigException;
import dev.whereabouts.ipam.api.StoreUnavailableException;
import dev.whereabouts.ipam.spi.StoreConfig;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Builds the fabric8 client from the {@code kubernetes} section: a kubeconfig file when one is
 * given, else the pod's service account. Nothing else is probed (no {@code ~/.kube/config}, no
 * system properties): the plugin is exec'd per CNI call, so start-up time matters, and a node must
 * never pick up an unrelated kubeconfig by accident.
 */
final class ClientFactory {

    /** Upstream's default when the kubeconfig context names no namespace. */
    static final String DEFAULT_NAMESPACE = "kube-system";
    static final int CONNECT_TIMEOUT_MS = 3_000;
    static final int REQUEST_TIMEOUT_MS = 5_000;

    private static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

    /** A built client, the namespace every object lives in, and what closes the client's threads. */
    record Connection(KubernetesClient client, String namespace, ClosingJdkHttpClientFactory http)
            implements AutoCloseable {
        @Override
        public void close() {
            client.close();
            http.shutdownAll();
        }
    }

    private ClientFactory() {}

    static String kubeconfig(StoreConfig ipam) {
        return ipam.section("kubernetes").string("kubeconfig").orElse("");
    }

    static String apiRoot(StoreConfig ipam) {
        return ipam.section("kubernetes").string("k8s_api_root").orElse("");
    }

    static Connection connect(StoreConfig ipam, Map<String, String> env) {
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
                .build();
        return new Connection(client, namespace, http);
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
