package dev.whereabouts.ops;

import dev.whereabouts.ipam.api.InvalidConfigException;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import dev.whereabouts.ipam.spi.StoreProvider;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns an operator's config file into a store and, when pods are needed, a Kubernetes client. The
 * file is either an {@code ipam} section ({@code {"datastore":"file","file":{...}}}), the flat
 * {@code whereabouts.conf}, a whole network configuration (its {@code ipam} is used) or a conf list
 * (the first plugin whose {@code ipam.type} is {@code whereabouts}).
 *
 * @since 0.1
 */
public final class OpsConfig {

    /** Where the installer writes the flat file on every node. */
    public static final Path DEFAULT_FLAT_FILE = Path.of("/etc/cni/net.d/whereabouts.d/whereabouts.conf");
    /** Upstream's default when nothing names a namespace. */
    public static final String DEFAULT_NAMESPACE = "kube-system";
    /** As the engine: a section without {@code datastore} means Kubernetes. */
    public static final String DEFAULT_DATASTORE = "kubernetes";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A Kubernetes client and the namespace whereabouts' objects live in. */
    public record Kubernetes(KubernetesClient client, String namespace) implements AutoCloseable {
        @Override
        public void close() {
            client.close();
        }
    }

    private OpsConfig() {}

    /**
     * Reads the file as plain JSON values.
     *
     * @throws IpamException code 5 when it cannot be read, 6 when it is not a JSON object
     */
    @SuppressWarnings("unchecked")
    public static StoreConfig read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IpamException(IpamException.IO_FAILURE, "config file not found", file.toString(), e);
        } catch (IOException e) {
            throw new IpamException(IpamException.IO_FAILURE, "cannot read config file", file + ": " + e, e);
        }
        Object root;
        try {
            root = JSON.readValue(text, Object.class);
        } catch (JacksonException e) {
            throw new IpamException(IpamException.DECODING_FAILURE, "config file is not JSON",
                    file + ": " + e.getOriginalMessage(), e);
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new IpamException(IpamException.DECODING_FAILURE, "config file is not a JSON object", file.toString());
        }
        Map<String, Object> top = (Map<String, Object>) map;
        if (top.get("ipam") instanceof Map<?, ?> ipam) {
            return new StoreConfig((Map<String, Object>) ipam);
        }
        if (top.get("plugins") instanceof List<?> plugins) {
            for (Object p : plugins) {
                if (p instanceof Map<?, ?> plugin && plugin.get("ipam") instanceof Map<?, ?> ipam
                        && "whereabouts".equals(ipam.get("type"))) {
                    return new StoreConfig((Map<String, Object>) ipam);
                }
            }
        }
        return new StoreConfig(top);
    }

    /** The {@code datastore} named by the section, {@value #DEFAULT_DATASTORE} when absent. */
    public static String datastore(StoreConfig config) {
        return config.string("datastore").orElse(DEFAULT_DATASTORE);
    }

    /** Providers found by {@link ServiceLoader}, by name. */
    public static Map<String, StoreProvider> providers() {
        Map<String, StoreProvider> out = new TreeMap<>();
        for (StoreProvider p : ServiceLoader.load(StoreProvider.class, OpsConfig.class.getClassLoader())) {
            out.putIfAbsent(p.name(), p);
        }
        return out;
    }

    /**
     * Opens the store the section names.
     *
     * @throws InvalidConfigException when no provider has that name (the message lists those found)
     */
    public static IpamStore openStore(StoreConfig config) {
        String name = datastore(config);
        Map<String, StoreProvider> found = providers();
        StoreProvider p = found.get(name);
        if (p == null) {
            throw new InvalidConfigException("datastore", name, "no such store; found: " + String.join(", ", found.keySet()));
        }
        return p.open(config);
    }

    /**
     * A client built from {@code kubernetes.kubeconfig}; the namespace is the kubeconfig context's, else
     * {@code WHEREABOUTS_NAMESPACE}, else {@value #DEFAULT_NAMESPACE}.
     *
     * @throws InvalidConfigException when the section names no usable kubeconfig
     */
    public static Kubernetes kubernetes(StoreConfig config, Map<String, String> env) {
        String kubeconfig = config.section("kubernetes").string("kubeconfig").orElse("");
        if (kubeconfig.isEmpty()) {
            throw new InvalidConfigException("kubernetes.kubeconfig", "", "required to look up pods");
        }
        File file = new File(kubeconfig);
        if (!file.isFile()) {
            throw new InvalidConfigException("kubernetes.kubeconfig", kubeconfig, "file does not exist");
        }
        Config base;
        try {
            base = Config.fromKubeconfig(null, file);
        } catch (RuntimeException e) {
            throw new InvalidConfigException("kubernetes.kubeconfig", kubeconfig, "not a usable kubeconfig: " + e.getMessage());
        }
        NamedContext ctx = base.getCurrentContext();
        String ns = ctx == null || ctx.getContext() == null ? null : ctx.getContext().getNamespace();
        if (ns == null || ns.isBlank()) {
            ns = env.getOrDefault("WHEREABOUTS_NAMESPACE", DEFAULT_NAMESPACE);
        }
        Config cfg = new ConfigBuilder(base).withNamespace(ns).withRequestTimeout(30_000).withConnectionTimeout(5_000).build();
        KubernetesClient client = new KubernetesClientBuilder().withConfig(cfg)
                .withHttpClientFactory(new JdkHttpClientFactory()).build();
        return new Kubernetes(client, ns);
    }
}
