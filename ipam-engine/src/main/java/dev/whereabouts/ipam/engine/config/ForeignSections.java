package dev.whereabouts.ipam.engine.config;

import dev.whereabouts.ipam.api.InvalidConfigException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rewrites kube-node's and node-annotation's {@code ipam} sections into the whereabouts fields that
 * mean the same, so that {@link SectionParser} stays the one parser: node ranges, the file store
 * in host-local's network directory (where their allocations already are), and the kubeconfig.
 *
 * <p>Both plugins delegated to host-local, whose state for network {@code name} lives in
 * {@code <dataDir>/<name>} ({@code dataDir} defaulting to {@code /var/lib/cni/networks}). Our file
 * store opens exactly that directory, so the addresses host-local handed out stay taken.
 */
final class ForeignSections {

    private static final Logger LOG = LoggerFactory.getLogger(ForeignSections.class);
    static final String HOST_LOCAL_DATA_DIR = "/var/lib/cni/networks";
    private static final Set<String> KUBE_NODE_KEYS = Set.of("type", "annotation", "datadir", "ipv4-namespaces",
            "kubeconfig", "logfile", "loglevel");

    private ForeignSections() {}

    /** kube-node's section as whereabouts fields. */
    static Map<String, Object> kubeNode(String network, Fields ipam) {
        ipam.raw().keySet().stream().filter(k -> !KUBE_NODE_KEYS.contains(k.toLowerCase(java.util.Locale.ROOT)))
                .forEach(k -> LOG.warn("kube-node field 'ipam.{}' is not known; ignored", k));
        String root = ipam.string("dataDir").map(d -> absolute(ipam.path("dataDir"), d)).orElse(HOST_LOCAL_DATA_DIR);
        Map<String, Object> out = common(network, root, ipam.string("annotation").orElse(""),
                ipam.string("kubeconfig"));
        ipam.value("ipv4-namespaces").ifPresent(v -> out.put("ipv4_namespaces", v));
        ipam.string("logfile").ifPresent(f -> out.put("log_file", f));
        return out;
    }

    /**
     * node-annotation's section plus its own file ({@code kubeconfig}; {@code nextipam} named
     * host-local, which is what we now do ourselves).
     */
    static Map<String, Object> nodeAnnotation(String network, Fields ipam, Optional<Fields> ownFile) {
        String annotation = ipam.string("annotation").orElseThrow(() -> new InvalidConfigException(
                ipam.path("annotation"), "", "node-annotation needs the name of the node annotation to read"));
        ownFile.flatMap(f -> f.string("nextipam")).filter(n -> !n.endsWith("host-local"))
                .ifPresent(n -> LOG.warn("node-annotation nextipam '{}' is ignored: addresses are allocated here", n));
        return common(network, HOST_LOCAL_DATA_DIR, annotation, ownFile.flatMap(f -> f.string("kubeconfig")));
    }

    private static Map<String, Object> common(String network, String hostLocalRoot, String annotation,
            Optional<String> kubeconfig) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "whereabouts");
        out.put("datastore", "file");
        out.put("file", Map.of("data_dir", Path.of(hostLocalRoot, network).toString()));
        // host-local made the first address of every range its gateway; bridges configured with
        // isGateway rely on that address being free.
        out.put("node_ranges", Map.of("annotation", annotation, "default_gateway", true));
        kubeconfig.ifPresent(k -> out.put("kubernetes", Map.of("kubeconfig", k)));
        return out;
    }

    private static String absolute(String field, String dir) {
        try {
            if (Path.of(dir).isAbsolute()) {
                return dir;
            }
        } catch (InvalidPathException e) {
            throw new InvalidConfigException(field, dir, "not a path: " + e.getReason());
        }
        throw new InvalidConfigException(field, dir, "must be an absolute path");
    }

    /**
     * {@code $KUBECONFIG} when the section names no kubeconfig, for every dialect (as kubectl and
     * client-go read it); only its first entry, since a list is merged by kubectl, not by us.
     */
    static Map<String, Object> withEnvKubeconfig(Map<String, Object> section, Map<String, String> env) {
        String fromEnv = env.getOrDefault("KUBECONFIG", "").split(":", -1)[0].strip();
        Fields f = new Fields(section, "ipam");
        if (fromEnv.isEmpty() || f.object("kubernetes").flatMap(k -> k.string("kubeconfig")).isPresent()) {
            return section;
        }
        Map<String, Object> out = new LinkedHashMap<>(section);
        Map<String, Object> k8s = new LinkedHashMap<>(f.object("kubernetes").map(Fields::raw).orElse(Map.of()));
        k8s.put("kubeconfig", fromEnv);
        out.put("kubernetes", k8s);
        return out;
    }
}
