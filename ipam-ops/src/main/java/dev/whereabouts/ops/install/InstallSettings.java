package dev.whereabouts.ops.install;

import dev.whereabouts.ipam.engine.IpamConfig;
import dev.whereabouts.ops.schedule.CronSchedule;
import dev.whereabouts.store.kubernetes.client.KubernetesClients;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Paths and values for {@link NodeInstaller}. Container paths ({@code /host/...}) are where the
 * installer writes; "on host" paths are what the written files must say, because the plugin reads
 * them on the host.
 *
 * @param pluginSource the plugin tree in the image ({@code WHEREABOUTS_PLUGIN_DIR}, default
 *     {@code /opt/whereabouts/plugin})
 * @param hostBinDir the host's CNI bin dir as mounted ({@code CNI_BIN_DIR}, default {@code /host/opt/cni/bin})
 * @param hostConfDir the host's CNI config dir as mounted ({@code CNI_CONF_DIR}, default {@code /host/etc/cni/net.d})
 * @param confDirOnHost the same directory as the host sees it ({@code /etc/cni/net.d})
 * @param serviceAccountDir where the token, CA and namespace are mounted
 * @param apiServer {@code https://host:port} of the API server
 * @param namespace where whereabouts' objects live ({@code WHEREABOUTS_NAMESPACE}, else the service
 *     account's namespace, else {@code kube-system})
 * @param nodeName {@code NODENAME} ({@code ""} when unset)
 * @param reconcilerCron {@code WHEREABOUTS_RECONCILER_CRON}, default {@value CronSchedule#DEFAULT_EXPRESSION}
 * @param daemonSocket the node daemon's socket ({@code /run/whereabouts/daemon.sock})
 * @param skipTlsVerify {@code SKIP_TLS_VERIFY=true}
 * @param installAs {@code WHEREABOUTS_INSTALL_AS}: further names for the plugin ({@code kube-node},
 *     {@code node-annotation}), each a link that replaces the plugin of that name (opt-in: it takes
 *     over that plugin's networks)
 * @since 0.1
 */
public record InstallSettings(Path pluginSource, Path hostBinDir, Path hostConfDir, Path confDirOnHost,
        Path serviceAccountDir, String apiServer, String namespace, String nodeName, String reconcilerCron,
        Path daemonSocket, boolean skipTlsVerify, List<String> installAs) {

    /** The names {@code WHEREABOUTS_INSTALL_AS} may give: the plugins whose configurations we serve. */
    public static final Set<String> OTHER_NAMES = Set.of("kube-node", "node-annotation");

    /** Copies the list. */
    public InstallSettings {
        installAs = List.copyOf(installAs);
    }

    /** The service account mount of every pod. */
    public static final Path SERVICE_ACCOUNT_DIR = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

    /** Reads the DaemonSet pod's environment; see the component docs for the variables and defaults. */
    public static InstallSettings fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env, SERVICE_ACCOUNT_DIR);
    }

    /** As {@link #fromEnvironment(Map)} with another service-account directory (tests). */
    public static InstallSettings fromEnvironment(Map<String, String> env, Path serviceAccountDir) {
        String host = env.getOrDefault("KUBERNETES_SERVICE_HOST", "");
        if (host.isEmpty()) {
            throw new IllegalStateException("KUBERNETES_SERVICE_HOST is not set; 'whereabouts install' runs in a pod");
        }
        String server = KubeconfigText.server(env.getOrDefault("KUBERNETES_SERVICE_PROTOCOL", "https"), host,
                env.getOrDefault("KUBERNETES_SERVICE_PORT", "443"));
        String ns = env.getOrDefault("WHEREABOUTS_NAMESPACE", "");
        if (ns.isEmpty()) {
            try {
                ns = Files.readString(serviceAccountDir.resolve("namespace")).strip();
            } catch (IOException e) {
                ns = "";
            }
        }
        return new InstallSettings(
                Path.of(env.getOrDefault("WHEREABOUTS_PLUGIN_DIR", "/opt/whereabouts/plugin")),
                Path.of(env.getOrDefault("CNI_BIN_DIR", "/host/opt/cni/bin")),
                Path.of(env.getOrDefault("CNI_CONF_DIR", "/host/etc/cni/net.d")),
                Path.of(env.getOrDefault("CNI_CONF_DIR_ON_HOST", "/etc/cni/net.d")),
                serviceAccountDir, server, ns.isEmpty() ? KubernetesClients.DEFAULT_NAMESPACE : ns,
                env.getOrDefault("NODENAME", ""),
                env.getOrDefault("WHEREABOUTS_RECONCILER_CRON", CronSchedule.DEFAULT_EXPRESSION),
                Path.of(env.getOrDefault("WHEREABOUTS_DAEMON_SOCKET", IpamConfig.DEFAULT_DAEMON_SOCKET)),
                "true".equalsIgnoreCase(env.getOrDefault("SKIP_TLS_VERIFY", "false")),
                installAs(env.getOrDefault("WHEREABOUTS_INSTALL_AS", "")));
    }

    private static List<String> installAs(String text) {
        List<String> names = Arrays.stream(text.split("[,\\s]+")).filter(n -> !n.isEmpty()).distinct().toList();
        for (String n : names) {
            if (!OTHER_NAMES.contains(n)) {
                throw new IllegalStateException("WHEREABOUTS_INSTALL_AS: '" + n + "' is not one of " + OTHER_NAMES);
            }
        }
        return names;
    }

    /** {@code whereabouts.d} under the mounted config dir. */
    public Path dataDir() {
        return hostConfDir.resolve("whereabouts.d");
    }

    /** The kubeconfig as written. */
    public Path kubeconfigFile() {
        return dataDir().resolve("whereabouts.kubeconfig");
    }

    /** The flat file as written. */
    public Path flatConfigFile() {
        return dataDir().resolve("whereabouts.conf");
    }

    /** The node-name file as written. */
    public Path nodeNameFile() {
        return dataDir().resolve("nodename");
    }

    /** {@code whereabouts.d} as the host sees it. */
    public Path confDirOnHostData() {
        return confDirOnHost.resolve("whereabouts.d");
    }

    /** The kubeconfig path written into the flat file. */
    public Path kubeconfigOnHost() {
        return confDirOnHostData().resolve("whereabouts.kubeconfig");
    }
}
