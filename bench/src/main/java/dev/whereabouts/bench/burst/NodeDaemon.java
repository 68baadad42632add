package dev.whereabouts.bench.burst;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One simulated node: a {@code whereabouts daemon} process with its own socket, {@code NODENAME},
 * attachments directory and log, so K nodes are K JVMs with K store clients, as in a cluster.
 */
public final class NodeDaemon implements AutoCloseable {

    private final String name;
    private final Path dir;
    private final Process process;
    private final boolean noWarmup;

    /** Starts the daemon of node {@code name} under {@code dir}; call {@link #awaitReady()} before use. */
    public NodeDaemon(Path binary, String name, Path dir) {
        this(binary, name, dir, -1);
    }

    /** As above, with {@code whereabouts daemon --warmup CYCLES} unless {@code warmup} is negative (the default). */
    public NodeDaemon(Path binary, String name, Path dir, int warmup) {
        this.name = name;
        this.noWarmup = warmup == 0;
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            // --flat-file names a file that does not exist: no reconciler, whatever this host has
            // under /etc/cni, so the burst measures CNI calls only.
            // Metrics on a free loopback port each (the daemon logs which), for the engine's counters.
            List<String> command = new ArrayList<>(List.of(binary.toString(), "daemon", "--socket",
                    socket().toString(), "--flat-file", dir.resolve("no-flat-file.conf").toString(),
                    "--metrics", "127.0.0.1:0"));
            if (warmup >= 0) {
                command.addAll(List.of("--warmup", Integer.toString(warmup)));
            }
            var pb = new ProcessBuilder(command);
            pb.environment().clear();
            pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
            pb.environment().put("NODENAME", name);
            pb.environment().put("WHEREABOUTS_LOG_LEVEL", "verbose");
            // A profiling knob (JFR, say) for the daemons, as the plugin script reads it.
            String opts = System.getenv("WHEREABOUTS_JAVA_OPTS");
            if (opts != null) {
                pb.environment().put("WHEREABOUTS_JAVA_OPTS", opts);
            }
            // appended: a restarted daemon (the fault suite) keeps its predecessor's lines
            pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
            process = pb.start();
            // A harness stopped by a signal must not leave daemons behind.
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the daemon of " + name, e);
        }
    }

    /** Waits until the daemon listens on its socket and has published its loopback port for the shell client. */
    public void awaitReady() {
        Path tcp = Path.of(socket() + ".tcp");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(Files.exists(socket()) && Files.exists(tcp))) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("daemon of " + name + " did not start; see " + log());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Waits until the daemon's start-up JIT warm-up is over (its log says so), as it is on a node
     * whose daemon started before the pods came; at most 120 s.
     */
    public void awaitWarm() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try {
            while (!noWarmup && !Files.readString(log()).contains("JIT warm-up")) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("daemon of " + name + " did not finish its warm-up; see " + log());
                }
                Thread.sleep(50);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The daemon's process id. */
    public long pid() {
        return process.pid();
    }

    /** The node's name ({@code NODENAME}). */
    public String name() {
        return name;
    }

    /** The daemon's UNIX socket, for {@code ipam.daemon_socket}. */
    public Path socket() {
        return dir.resolve("run/d.sock");
    }

    /** The node-local attachments journal, for {@code ipam.attachments_dir}. */
    public Path attachments() {
        return dir.resolve("attachments");
    }

    /** Everything the daemon wrote to stdout and stderr. */
    public Path log() {
        return dir.resolve("daemon.log");
    }

    private static final java.util.regex.Pattern METRICS_AT = java.util.regex.Pattern.compile("metrics on (http://\\S+/metrics)");

    /**
     * The engine's pool counters ({@code whereabouts_pool_*_total}) and the buckets of its call
     * timings ({@code whereabouts_cni_call_duration_seconds_bucket}) as the daemon serves them now,
     * by series ({@code whereabouts_pool_writes_total{outcome="conflict"}}); empty when it serves none.
     */
    public Map<String, Long> counters() {
        try {
            var m = METRICS_AT.matcher(Files.readString(log()));
            if (!m.find()) {
                return Map.of();
            }
            try (var http = java.net.http.HttpClient.newHttpClient()) {
                String text = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(m.group(1))).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                Map<String, Long> out = new java.util.TreeMap<>();
                text.lines().filter(l -> l.startsWith("whereabouts_pool_") && l.contains("_total")
                        || l.startsWith(DaemonLatency.SERIES)).forEach(l -> {
                    int space = l.lastIndexOf(' ');
                    out.put(l.substring(0, space), (long) Double.parseDouble(l.substring(space + 1)));
                });
                return out;
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
    }

    /** The daemon's error-level lines so far (each {@code [error]} line of its log). */
    public List<String> errorLines() {
        try {
            return Files.readAllLines(log()).stream().filter(l -> l.contains("[error]")).toList();
        } catch (IOException e) {
            return List.of("cannot read " + log() + ": " + e);
        }
    }

    /** SIGKILL, as the OOM killer or a crash would: the socket and its {@code .tcp} file stay behind. */
    public void kill() {
        dev.whereabouts.bench.load.EtcdServer.killAndWait(process);
    }

    /** SIGTERM, as a node shutdown would send; the daemon finishes calls in flight and exits. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
