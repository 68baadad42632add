package dev.whereabouts.ops.install;

import dev.whereabouts.ops.schedule.CronSchedule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * What {@code whereabouts install} does on a node, from inside the DaemonSet pod (host paths mounted
 * under {@code /host}):
 * <ol>
 *   <li>copies the self-contained plugin tree into the host's CNI bin directory so that a half-copied
 *       plugin is never executed ({@link PluginCopier}), and links the names of
 *       {@code WHEREABOUTS_INSTALL_AS} ({@code kube-node}, {@code node-annotation}) to it;</li>
 *   <li>writes {@code whereabouts.d/whereabouts.kubeconfig} (mode 0600) from the service-account token
 *       and CA, server from {@code KUBERNETES_SERVICE_HOST}/{@code _PORT} (IPv6 bracketed);
 *       {@link #refreshKubeconfigIfChanged()} / {@link #watchCredentials(Duration)} rewrite it when the
 *       projected token or the CA rotates;</li>
 *   <li>writes the flat file {@code whereabouts.d/whereabouts.conf} (mode 0600) as upstream's installer
 *       does, plus {@code daemon_socket};</li>
 *   <li>writes {@code whereabouts.d/nodename} (mode 0600, no newline) from {@code NODENAME}.</li>
 * </ol>
 *
 * @since 0.1
 */
public final class NodeInstaller {

    private static final Logger LOG = LoggerFactory.getLogger(NodeInstaller.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final InstallSettings settings;
    private byte[] credentialsDigest = new byte[0];

    /** An installer for these paths and environment. */
    public NodeInstaller(InstallSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** An installer configured from the DaemonSet's environment ({@link InstallSettings#fromEnvironment}). */
    public static NodeInstaller fromEnvironment(Map<String, String> env) {
        return new NodeInstaller(InstallSettings.fromEnvironment(env));
    }

    /** The settings in use. */
    public InstallSettings settings() {
        return settings;
    }

    /** All four steps, in order. Safe to repeat. */
    public void install() throws IOException {
        String hash = PluginCopier.install(settings.pluginSource(), settings.hostBinDir());
        LOG.info("plugin tree {} installed into {} (content {})", settings.pluginSource(), settings.hostBinDir(), hash);
        for (String name : settings.installAs()) {
            PluginCopier.alias(settings.hostBinDir(), name);
            LOG.info("{} in {} is now this plugin, serving that plugin's configurations", name, settings.hostBinDir());
        }
        writeKubeconfig();
        writeFlatConfig();
        writeNodeName();
    }

    /** Step 2; also records the token and CA it was built from. */
    public void writeKubeconfig() throws IOException {
        byte[] token = Files.readAllBytes(settings.serviceAccountDir().resolve("token"));
        Path caFile = settings.serviceAccountDir().resolve("ca.crt");
        byte[] ca = settings.skipTlsVerify() ? null : Files.readAllBytes(caFile);
        String text = KubeconfigText.render(settings.apiServer(), ca,
                new String(token, StandardCharsets.UTF_8).strip(), settings.namespace());
        SecureFiles.writeAtomically(settings.kubeconfigFile(), text.getBytes(StandardCharsets.UTF_8), SecureFiles.OWNER_ONLY);
        credentialsDigest = digestCredentials();
    }

    /**
     * Rewrites the kubeconfig when the token or CA differs from what it was built from.
     *
     * @return whether it was rewritten
     */
    public synchronized boolean refreshKubeconfigIfChanged() throws IOException {
        byte[] now = digestCredentials();
        if (Arrays.equals(now, credentialsDigest)) {
            return false;
        }
        writeKubeconfig();
        LOG.info("service-account credentials changed; rewrote {}", settings.kubeconfigFile());
        return true;
    }

    /**
     * Checks the credentials every {@code interval} on a daemon thread until the returned handle is
     * closed (upstream's token watcher checks every second).
     */
    public AutoCloseable watchCredentials(Duration interval) {
        AtomicBoolean running = new AtomicBoolean(true);
        Thread t = Thread.ofPlatform().daemon().name("whereabouts-token-watcher").start(() -> {
            while (running.get()) {
                try {
                    Thread.sleep(interval);
                    refreshKubeconfigIfChanged();
                } catch (InterruptedException e) {
                    return;
                } catch (IOException | RuntimeException e) {
                    LOG.warn("cannot refresh {}: {}", settings.kubeconfigFile(), e.toString());
                }
            }
        });
        return () -> {
            running.set(false);
            t.interrupt();
            t.join(Duration.ofSeconds(5));
        };
    }

    /** Step 3: the flat file, as compat §13, plus the node daemon's socket. */
    public void writeFlatConfig() throws IOException {
        Map<String, Object> flat = new LinkedHashMap<>();
        flat.put("datastore", "kubernetes");
        flat.put("configuration_path", settings.confDirOnHostData().toString());
        flat.put("kubernetes", Map.of("kubeconfig", settings.kubeconfigOnHost().toString()));
        String cron = settings.reconcilerCron();
        CronSchedule.parse(cron); // refuse to write an expression the reconciler would reject
        flat.put("reconciler_cron_expression", cron);
        flat.put("daemon_socket", settings.daemonSocket().toString());
        byte[] bytes = JSON.writeValueAsBytes(flat);
        if (!SecureFiles.sameContent(settings.flatConfigFile(), bytes)) {
            SecureFiles.writeAtomically(settings.flatConfigFile(), bytes, SecureFiles.OWNER_ONLY);
        }
    }

    /** Step 4: the node name as the API server knows it, so node slices find the right node. */
    public void writeNodeName() throws IOException {
        if (settings.nodeName().isEmpty()) {
            LOG.warn("NODENAME is not set; not writing {}", settings.nodeNameFile());
            return;
        }
        SecureFiles.writeAtomically(settings.nodeNameFile(), settings.nodeName().getBytes(StandardCharsets.UTF_8),
                SecureFiles.OWNER_ONLY);
    }

    private byte[] digestCredentials() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(Files.readAllBytes(settings.serviceAccountDir().resolve("token")));
            md.update((byte) 0);
            Path ca = settings.serviceAccountDir().resolve("ca.crt");
            if (Files.isReadable(ca)) {
                md.update(Files.readAllBytes(ca));
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
