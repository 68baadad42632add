package dev.whereabouts.controllers;

import dev.whereabouts.controllers.pods.PodController;
import dev.whereabouts.controllers.slices.NodeSliceController;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.engine.StoreProviders;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import dev.whereabouts.ops.OpsConfig;
import dev.whereabouts.ops.reconcile.KubernetesPodDirectory;
import dev.whereabouts.store.kubernetes.client.KubernetesClients;
import dev.whereabouts.store.kubernetes.client.KubernetesConnection;
import dev.whereabouts.metrics.Metrics;
import dev.whereabouts.metrics.MetricsAddress;
import dev.whereabouts.metrics.MetricsServer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code whereabouts controller pods|node-slices [--flat-file PATH]}: runs one controller until the
 * process is signalled.
 *
 * <p>Where the controller finds the cluster, by the plugin's rules ({@link KubernetesClients}): the flat
 * file's {@code kubernetes.kubeconfig} when the file exists (the DaemonSet's container sees the
 * installer's file), else the pod's service account with the namespace from
 * {@code WHEREABOUTS_NAMESPACE} (the node-slice Deployment). The pod
 * controller needs {@code NODENAME}; the node-slice controller holds its Lease as {@code POD_NAME}
 * (else {@code HOSTNAME}).
 *
 * @since 0.1
 */
public final class Controllers {

    /** How often the node-slice controller re-checks everything without an event (upstream: 30 s). */
    public static final Duration SLICE_RESYNC = Duration.ofSeconds(30);
    /** How long the node-slice controller's Lease stays valid without renewal. */
    public static final Duration SLICE_LEASE = Duration.ofSeconds(15);
    /** The node daemon's variable for its metrics address, honoured by the controllers too. */
    static final String METRICS_ENV = "WHEREABOUTS_METRICS_ADDRESS";

    private static final String USAGE = "usage: whereabouts controller pods|node-slices [--flat-file PATH]"
            + " [--metrics [HOST:]PORT | --no-metrics]\n";

    /**
     * Where each controller serves {@code /metrics} by default: beside the node daemon's 19109, since
     * the pod controller shares the node's network namespace with it.
     */
    public static final Map<String, Integer> DEFAULT_METRICS_PORTS = Map.of("pods", 19110, "node-slices", 19111);

    private Controllers() {}

    /**
     * Parses {@code args} (after {@code controller}), starts the controller and blocks until the JVM
     * shuts down.
     *
     * @return the exit code: 2 for bad usage, 1 when the controller cannot start
     */
    public static int run(String[] args, Map<String, String> env, PrintStream err) throws InterruptedException {
        Path flatFile = OpsConfig.DEFAULT_FLAT_FILE;
        if (args.length == 0) {
            err.print(USAGE);
            return 2;
        }
        String metricsFlag = null;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--flat-file") && i + 1 < args.length) {
                flatFile = Path.of(args[++i]);
            } else if (args[i].equals("--metrics") && i + 1 < args.length) {
                metricsFlag = args[++i];
            } else if (args[i].equals("--no-metrics")) {
                metricsFlag = "off";
            } else {
                err.print(USAGE);
                return 2;
            }
        }
        Optional<MetricsAddress> metricsAt;
        try {
            String text = metricsFlag != null ? metricsFlag : env.getOrDefault(METRICS_ENV, "");
            metricsAt = text.isBlank()
                    ? Optional.of(MetricsAddress.parse(Integer.toString(DEFAULT_METRICS_PORTS.getOrDefault(args[0], 0))).orElseThrow())
                    : MetricsAddress.parse(text);
        } catch (IllegalArgumentException e) {
            err.println("whereabouts controller " + args[0] + ": " + e.getMessage());
            return 2;
        }
        AutoCloseable running;
        try {
            running = switch (args[0]) {
                case "pods" -> pods(flatFile, env);
                case "node-slices" -> nodeSlices(flatFile, env);
                default -> null;
            };
        } catch (IpamException e) {
            // the details name the field and value (a kubeconfig, a datastore); the message alone does not
            err.println("whereabouts controller " + args[0] + ": " + e.getMessage()
                    + (e.details().isEmpty() ? "" : ": " + e.details()));
            return 1;
        } catch (RuntimeException e) {
            err.println("whereabouts controller " + args[0] + ": " + e.getMessage());
            return 1;
        }
        if (running == null) {
            err.print(USAGE);
            return 2;
        }
        MetricsServer metrics = serveMetrics(metricsAt, err);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                if (metrics != null) {
                    metrics.close();
                }
                running.close();
            } catch (Exception e) {
                err.println("stopping controller: " + e);
            }
            stopped.countDown();
        }, "whereabouts-controller-shutdown"));
        stopped.await();
        return 0;
    }

    /**
     * The process registry at {@code at}; a port that cannot be bound is reported and the controller
     * runs on, as the node daemon does: metrics must never stop a cleaner.
     */
    private static MetricsServer serveMetrics(Optional<MetricsAddress> at, PrintStream err) {
        if (at.isEmpty()) {
            return null;
        }
        try {
            return MetricsServer.start(at.get(), Metrics.registry());
        } catch (IOException e) {
            err.println("metrics not served: cannot listen on " + at.get() + ": " + e);
            return null;
        }
    }

    /** Starts the pod controller for {@code NODENAME}; the handle stops it and closes store and client. */
    public static AutoCloseable pods(Path flatFile, Map<String, String> env) {
        StoreConfig config = storeConfig(flatFile);
        KubernetesConnection k8s = KubernetesClients.connect(config, env);
        IpamStore store;
        try {
            store = StoreProviders.discovered().open(config);
        } catch (RuntimeException e) {
            k8s.close();
            throw e;
        }
        PodController controller = new PodController(k8s.client(), store, new KubernetesPodDirectory(k8s.client()),
                env.getOrDefault("NODENAME", "").strip(), Duration.ofSeconds(1));
        try {
            controller.start();
        } catch (RuntimeException e) {
            store.close();
            k8s.close();
            throw e;
        }
        return () -> {
            controller.close();
            store.close();
            k8s.close();
        };
    }

    /** Starts the node-slice controller; the handle stops it, gives its Lease up and closes the client. */
    public static AutoCloseable nodeSlices(Path flatFile, Map<String, String> env) {
        KubernetesConnection k8s = KubernetesClients.connect(storeConfig(flatFile), env);
        String identity = env.getOrDefault("POD_NAME", env.getOrDefault("HOSTNAME", "whereabouts-node-slices"));
        NodeSliceController controller = new NodeSliceController(k8s.client(), k8s.namespace(), identity,
                SLICE_RESYNC, SLICE_LEASE).start();
        return () -> {
            controller.close();
            k8s.close();
        };
    }

    /** The flat file's section; without one, the defaults: the Kubernetes store and the service account. */
    private static StoreConfig storeConfig(Path flatFile) {
        return Files.isRegularFile(flatFile) ? OpsConfig.read(flatFile) : new StoreConfig(Map.of());
    }
}
