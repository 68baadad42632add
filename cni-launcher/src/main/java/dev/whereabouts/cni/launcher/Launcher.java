package dev.whereabouts.cni.launcher;

import dev.whereabouts.cni.launcher.client.Frames;
import dev.whereabouts.cni.launcher.client.NativeExit;
import dev.whereabouts.cni.launcher.client.SocketPath;
import dev.whereabouts.cni.launcher.daemon.Daemon;
import dev.whereabouts.cni.launcher.daemon.JitWarmup;
import dev.whereabouts.cni.launcher.daemon.MetricsEndpoint;
import dev.whereabouts.ipam.engine.LogLevel;
import dev.whereabouts.cni.launcher.log.Logs;
import dev.whereabouts.controllers.Controllers;
import dev.whereabouts.ipam.engine.Ipam;
import dev.whereabouts.metrics.MetricRegistry;
import dev.whereabouts.metrics.MetricsAddress;
import dev.whereabouts.metrics.Metrics;
import dev.whereabouts.ops.Operations;
import dev.whereabouts.ops.OpsConfig;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * The full plugin's entry on the module path: {@code daemon [--socket PATH]} runs the node daemon,
 * {@code stores} lists the store providers found, {@code run} serves one CNI call in this JVM
 * without trying a daemon, {@code ctl} is the operator CLI, {@code install} the DaemonSet's node
 * install and {@code controller pods|node-slices} a cluster controller; anything else is a normal
 * plugin call through the client.
 */
public final class Launcher {

    /** The engine's default {@code attachments_dir}. */
    static final Path DEFAULT_ATTACHMENTS = Path.of("/var/lib/cni/whereabouts/attachments");

    private Launcher() {
    }

    /** Dispatches on the first argument. */
    public static void main(String[] args) throws Exception {
        quietJul();
        String sub = args.length > 0 ? args[0] : "";
        switch (sub) {
            case "daemon" -> daemon(args);
            case "stores" -> {
                try (var ipam = Ipam.withDiscoveredStores()) {
                    System.out.println(String.join("\n", ipam.storeNames()));
                }
            }
            case "run" -> runOnce(args);
            case "ctl" -> {
                // An operator reads tables on this terminal; store chatter belongs there only when asked for.
                if (System.getenv("WHEREABOUTS_LOG_LEVEL") == null) {
                    Logs.setProcessLevel(LogLevel.ERROR);
                }
                System.exit(Operations.ctl(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
            }
            case "install" -> Operations.install(System.getenv());
            case "controller" -> System.exit(Controllers.run(Arrays.copyOfRange(args, 1, args.length),
                    System.getenv(), System.err));
            default -> dev.whereabouts.cni.launcher.client.Main.main(args);
        }
    }

    /** gRPC logs through java.util.logging at INFO; keep only its warnings, on stderr. */
    static void quietJul() {
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    }

    /**
     * One call with a fresh engine, closed (and with it every store lock) before the answer is
     * printed: {@code whereabouts run}, which is also how the client runs a call no daemon answers
     * ({@code run --parent <client pid>}, which stops when the client is gone).
     */
    private static void runOnce(String[] args) throws IOException {
        quietJul();
        // `run --parent PID`: started by the client for a call no daemon answered (ParentWatch)
        if (args.length == 3 && args[1].equals("--parent") && args[2].matches("[0-9]{1,10}")) {
            ParentWatch.start(Long.parseLong(args[2]));
        }
        Frames.Reply reply;
        try (var handler = new CniHandler(Ipam.withDiscoveredStores())) {
            reply = handler.handle(System.getenv(), System.in.readAllBytes());
            if (reply.exitCode() == 0) {
                // The store answered this call: releases queued by earlier in-process DELs (no
                // daemon to retry them) go through now, or wait for the next run or CNI GC.
                handler.retryPendingOnce();
            }
        }
        var err = new FileOutputStream(FileDescriptor.err);
        var out = new FileOutputStream(FileDescriptor.out);
        err.write(reply.stderr());
        out.write(reply.stdout());
        out.flush();
        NativeExit.exit(reply.exitCode());
    }

    private static void daemon(String[] args) throws Exception {
        Path socket = Path.of(SocketPath.DEFAULT);
        Path flatFile = OpsConfig.DEFAULT_FLAT_FILE;
        boolean tcp = true;
        int warmup = JitWarmup.DEFAULT_CYCLES;
        String metricsFlag = null;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--metrics") && i + 1 < args.length) {
                metricsFlag = args[++i];
            } else if (args[i].equals("--no-metrics")) {
                metricsFlag = "off";
            } else if (args[i].equals("--socket") && i + 1 < args.length) {
                socket = Path.of(args[++i]);
            } else if (args[i].equals("--flat-file") && i + 1 < args.length) {
                flatFile = Path.of(args[++i]);
            } else if (args[i].equals("--no-tcp")) {
                tcp = false;
            } else if (args[i].equals("--warmup") && i + 1 < args.length && args[i + 1].matches("[0-9]{1,6}")) {
                warmup = Integer.parseInt(args[++i]);
            } else {
                var err = new FileOutputStream(FileDescriptor.err);
                err.write(("usage: whereabouts daemon [--socket PATH] [--flat-file PATH] [--no-tcp]"
                        + " [--metrics [HOST:]PORT | --no-metrics] [--warmup CYCLES]\n").getBytes(StandardCharsets.UTF_8));
                System.exit(2);
            }
        }
        Optional<MetricsAddress> metricsAt = metricsAddress(metricsFlag);
        MetricRegistry registry = Metrics.registry();
        Ipam ipam = Ipam.withDiscoveredStores();
        ipam.registerMetrics(registry);
        var handler = new CniHandler(ipam);
        var daemon = new Daemon(socket, handler, tcp, registry);
        // before the socket appears, which is the readiness signal: ready means scrapeable too
        MetricsEndpoint metrics = MetricsEndpoint.start(metricsAt, registry);
        try {
            daemon.bind();
        } catch (IOException | RuntimeException e) {
            metrics.close(); // the HTTP server's thread would keep the JVM alive
            throw e;
        }
        // Releases queued before a restart are retried from the start; other journal directories
        // are learnt from the calls that name them.
        handler.retryPendingInBackground(DEFAULT_ATTACHMENTS);
        JitWarmup.start(warmup, daemon::busy);
        // The reconciler and the kubeconfig refresh live and die with the daemon; each starts only
        // where it applies and logs why when it does not. The shutdown hook stops them, because the
        // JVM halts once the hooks are done, whatever the main thread was doing.
        AutoCloseable services = Operations.daemonServices(flatFile, System.getenv());
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Logs.process().log(LogLevel.VERBOSE,
                    "signal received, shutting down", null);
            metrics.close();
            daemon.close();
            try {
                services.close();
            } catch (Exception e) {
                Logs.process().log(LogLevel.ERROR, "stopping daemon services", e);
            }
            stopped.countDown();
        }, "whereabouts-shutdown"));
        daemon.serve();
        stopped.await();
    }

    /** The metrics address from the flag or the environment; a bad one stops the daemon before it binds. */
    private static Optional<MetricsAddress> metricsAddress(String flag) throws IOException {
        try {
            return MetricsEndpoint.choose(flag, System.getenv());
        } catch (IllegalArgumentException e) {
            new FileOutputStream(FileDescriptor.err).write(("whereabouts daemon: " + e.getMessage() + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            System.exit(2);
            throw e;
        }
    }
}
