package dev.whereabouts.cni.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the packaged plugin tree ({@code target/whereabouts}) as real processes for the *IT tests. */
final class Plugin {

    static final Path TREE = Path.of(System.getProperty("whereabouts.tree", "target/whereabouts"));
    static final Path BIN = TREE.resolve("bin/whereabouts");

    /** What one plugin process printed and returned. */
    record Run(int exit, String stdout, String stderr) {
    }

    private Plugin() {
    }

    /** A CNI environment for {@code command} with the usual variables set. */
    static Map<String, String> env(String command, String containerId) {
        Map<String, String> env = new HashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", containerId);
        env.put("CNI_NETNS", "/proc/self/ns/net");
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_PATH", "/usr/lib/cni");
        env.put("CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=pod-" + containerId);
        return env;
    }

    /** A network config on the file store in {@code data}, using the daemon at {@code socket}. */
    static String config(String version, Path data, Path socket, String range) {
        return """
                {"cniVersion":"%s","name":"wa-net","type":"bridge",
                 "ipam":{"type":"whereabouts","datastore":"file","daemon_socket":"%s",
                         "file":{"data_dir":"%s"},"attachments_dir":"%s/attachments",
                         "store_timeout_ms":60000,"range":"%s","gateway":"%s",
                         "routes":[{"dst":"0.0.0.0/0"}],"log_level":"error"}}
                """.formatted(version, socket, data, data.getParent(), range, range.replaceFirst("0/\\d+$", "1"));
    }

    static ProcessBuilder builder(List<String> command, Map<String, String> env) {
        var pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        pb.environment().putAll(env);
        return pb;
    }

    /** Runs the plugin binary with {@code env} and {@code stdin}. */
    static Run run(Map<String, String> env, String stdin, String... args) throws IOException, InterruptedException {
        var cmd = new java.util.ArrayList<>(List.of(BIN.toString()));
        cmd.addAll(List.of(args));
        return exec(builder(cmd, env), stdin);
    }

    static Run exec(ProcessBuilder pb, String stdin) throws IOException, InterruptedException {
        return exec(pb, stdin.getBytes(StandardCharsets.UTF_8));
    }

    /** Runs {@code pb} with exactly these stdin bytes (binary and oversized input included). */
    static Run exec(ProcessBuilder pb, byte[] stdin) throws IOException, InterruptedException {
        Path out = Files.createTempFile("wa-out", ".txt");
        Path err = Files.createTempFile("wa-err", ".txt");
        try {
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            try (var in = p.getOutputStream()) {
                in.write(stdin);
            } catch (IOException ignored) {
                // the plugin may exit without reading stdin (VERSION, or input it refuses unread)
            }
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("plugin hung: " + pb.command());
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** A running node daemon on {@code socket}; closing it sends SIGTERM and waits. */
    static final class Daemon implements AutoCloseable {
        final Process process;
        final Path socket;
        final Path log;

        Daemon(Path socket) throws IOException, InterruptedException {
            this(socket, List.of());
        }

        /** A daemon started through {@code prefix}, e.g. {@code ip netns exec NS}. */
        Daemon(Path socket, List<String> prefix) throws IOException, InterruptedException {
            this(socket, prefix, List.of(), Map.of());
        }

        /**
         * The same with more daemon arguments and environment. Metrics are off unless these turn
         * them on: daemons of parallel tests must not race for the default port. So is the start-up
         * warm-up unless {@code args} asks for it: it changes no answer, and its few seconds of CPU
         * per daemon, times every daemon of every test, were minutes of CI on two cores.
         */
        Daemon(Path socket, List<String> prefix, List<String> args, Map<String, String> env)
                throws IOException, InterruptedException {
            this.socket = socket;
            this.log = Files.createTempFile("wa-daemon", ".log");
            var cmd = new java.util.ArrayList<>(prefix);
            cmd.addAll(List.of(BIN.toString(), "daemon", "--socket", socket.toString()));
            cmd.addAll(args);
            if (!args.contains("--warmup")) {
                cmd.addAll(List.of("--warmup", "0"));
            }
            var all = new HashMap<>(Map.of("WHEREABOUTS_LOG_LEVEL", "verbose", "WHEREABOUTS_METRICS_ADDRESS", "off"));
            all.putAll(env);
            var pb = builder(cmd, all);
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
            process = pb.start();
            for (int i = 0; i < 600 && !Files.exists(socket); i++) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("daemon died: " + Files.readString(log));
                }
                Thread.sleep(50);
            }
            if (!Files.exists(socket)) {
                throw new IllegalStateException("daemon did not bind: " + Files.readString(log));
            }
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            Files.deleteIfExists(log);
        }
    }
}
