package dev.whereabouts.ops;

import dev.whereabouts.ipam.engine.StoreProviders;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import dev.whereabouts.ops.cli.Ctl;
import dev.whereabouts.ops.install.NodeInstaller;
import dev.whereabouts.ops.reconcile.KubernetesPodDirectory;
import dev.whereabouts.ops.reconcile.Reconciler;
import dev.whereabouts.ops.reconcile.ReconcilerOptions;
import dev.whereabouts.ops.schedule.CronSources;
import dev.whereabouts.ops.schedule.ReconcilerLease;
import dev.whereabouts.ops.schedule.ScheduledReconciler;
import dev.whereabouts.store.kubernetes.client.KubernetesClients;
import dev.whereabouts.store.kubernetes.client.KubernetesConnection;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The entry points the launcher calls; each is one line in the {@code whereabouts} binary.
 *
 * <pre>{@code
 * whereabouts ctl ...      -> System.exit(Operations.ctl(rest, System.out, System.err))
 * whereabouts install      -> Operations.install(System.getenv())          // then exit 0
 * whereabouts daemon ...   -> try (AutoCloseable ops = Operations.daemonServices(OpsConfig.DEFAULT_FLAT_FILE, System.getenv())) {
 *                                 serve();
 *                             }
 * }</pre>
 *
 * @since 0.1
 */
public final class Operations {

    private Operations() {}

    /**
     * Everything the node daemon runs besides serving CNI calls, each only where it applies (a
     * skipped part is logged, never an error):
     * <ul>
     *   <li>the kubeconfig refresh ({@link #watchCredentials}) when running in a pod: env
     *       {@code KUBERNETES_SERVICE_HOST} set and a service-account token mounted;</li>
     *   <li>the scheduled reconciler ({@link #startReconciler}) when {@code flatFile} exists and names
     *       {@code kubernetes.kubeconfig}.</li>
     * </ul>
     * Closing the handle stops both.
     */
    public static AutoCloseable daemonServices(Path flatFile, Map<String, String> env) {
        java.util.List<AutoCloseable> started = new java.util.ArrayList<>();
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Operations.class);
        boolean inPod = !env.getOrDefault("KUBERNETES_SERVICE_HOST", "").isEmpty()
                && java.nio.file.Files.isReadable(dev.whereabouts.ops.install.InstallSettings.SERVICE_ACCOUNT_DIR.resolve("token"));
        if (inPod) {
            try {
                started.add(watchCredentials(env));
            } catch (IOException | RuntimeException e) {
                log.warn("kubeconfig refresh not started: {}", e.toString());
            }
        } else {
            log.info("not in a pod: no kubeconfig refresh");
        }
        if (java.nio.file.Files.isRegularFile(flatFile)
                && OpsConfig.read(flatFile).section("kubernetes").string("kubeconfig").isPresent()) {
            try {
                started.add(startReconciler(flatFile, env));
            } catch (RuntimeException e) {
                log.warn("scheduled reconciler not started: {}", e.toString());
            }
        } else {
            log.info("no {} with kubernetes.kubeconfig: no scheduled reconciler", flatFile);
        }
        return () -> {
            for (AutoCloseable c : started.reversed()) {
                try {
                    c.close();
                } catch (Exception e) {
                    log.warn("stopping {}: {}", c, e.toString());
                }
            }
        };
    }

    /** {@code whereabouts ctl}: returns the exit code. */
    public static int ctl(String[] args, PrintStream out, PrintStream err) {
        return Ctl.run(args, out, err);
    }

    /** {@code whereabouts install}: the four node steps of {@link NodeInstaller}. */
    public static void install(Map<String, String> env) throws IOException {
        NodeInstaller.fromEnvironment(env).install();
    }

    /**
     * Rewrites the plugin's kubeconfig whenever the projected service-account token or CA changes,
     * checking every second; close the handle to stop. Call after {@link #install(Map)} in the same
     * pod (the daemon container).
     */
    public static AutoCloseable watchCredentials(Map<String, String> env) throws IOException {
        NodeInstaller installer = NodeInstaller.fromEnvironment(env);
        installer.writeKubeconfig();
        return installer.watchCredentials(Duration.ofSeconds(1));
    }

    /**
     * Starts the scheduled reconciler of the node daemon: opens the store named by the flat file
     * ({@code flatFile}, as the plugin sees it, e.g. {@code /host/etc/cni/net.d/whereabouts.d/whereabouts.conf}),
     * builds the Kubernetes client from its {@code kubernetes.kubeconfig} ({@link KubernetesClients}), reads the schedule from
     * {@link CronSources#CONFIG_MAP_FILE} or the flat file, and competes for the
     * {@value RequiredPermissions#RECONCILER_LEASE} Lease as {@code NODENAME}. Closing the handle stops
     * the thread and closes the store and client.
     */
    public static AutoCloseable startReconciler(Path flatFile, Map<String, String> env) {
        StoreConfig config = OpsConfig.read(flatFile);
        IpamStore store = StoreProviders.discovered().open(config);
        KubernetesConnection k8s;
        try {
            k8s = KubernetesClients.connect(config, env);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        Reconciler reconciler = new Reconciler(store, new KubernetesPodDirectory(k8s.client()), ReconcilerOptions.DEFAULTS);
        String identity = env.getOrDefault("NODENAME", env.getOrDefault("HOSTNAME", "whereabouts"));
        ScheduledReconciler scheduled = new ScheduledReconciler(reconciler,
                ReconcilerLease.standard(k8s.client(), k8s.namespace(), identity),
                CronSources.fromFiles(CronSources.CONFIG_MAP_FILE, flatFile), Clock.systemUTC()).start();
        return () -> {
            try {
                scheduled.close();
            } finally {
                try {
                    store.close();
                } finally {
                    k8s.close();
                }
            }
        };
    }
}
