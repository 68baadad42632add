package dev.whereabouts.store.etcd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real single-member etcd ({@code /usr/bin/etcd}, Debian's {@code etcd-server}) on free loopback
 * ports with a temporary data directory. Health is polled on a separate plain-HTTP metrics port, so
 * that it also works when the client port demands TLS client certificates.
 */
final class EtcdServer implements AutoCloseable {

    static final String BINARY = "/usr/bin/etcd";

    private final Path dir;
    private final int clientPort;
    private final int peerPort;
    private final int metricsPort;
    private final List<String> tlsArgs;
    private final String scheme;
    private Process process;
    private final Thread reaper;

    private EtcdServer(Path dir, List<String> tlsArgs) {
        this.dir = dir;
        this.tlsArgs = List.copyOf(tlsArgs);
        this.scheme = tlsArgs.isEmpty() ? "http" : "https";
        int[] ports = freePorts(3);
        this.clientPort = ports[0];
        this.peerPort = ports[1];
        this.metricsPort = ports[2];
        // A test JVM that dies must not leave an etcd behind.
        this.reaper = new Thread(() -> {
            Process p = process;
            if (p != null) {
                p.destroyForcibly();
            }
        });
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** Starts a plain-HTTP etcd and waits until it is healthy. */
    static EtcdServer start() {
        return start(List.of());
    }

    /**
     * Starts an etcd with extra TLS flags ({@code --cert-file ...}); a non-empty list switches the
     * client URL to https.
     */
    static EtcdServer start(List<String> tlsArgs) {
        try {
            EtcdServer s = new EtcdServer(Files.createTempDirectory("etcd-test-"), tlsArgs);
            s.launch();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The client URL, e.g. {@code http://127.0.0.1:41234}. */
    String endpoint() {
        return scheme + "://127.0.0.1:" + clientPort;
    }

    /** A store section for this server with the given key prefix. */
    Map<String, Object> config(String prefix) {
        Map<String, Object> m = new HashMap<>();
        m.put("datastore", "etcd");
        m.put("etcd_host", endpoint());
        m.put("etcd_prefix", prefix);
        // Generous: the first call of a client pays for class loading and, with TLS, the handshake,
        // and test machines are busy. Tests about timeouts set their own.
        m.put("etcd_timeout_ms", 15_000);
        return m;
    }

    /** A raw jetcd client on this server, for tests that inspect or prepare etcd directly. */
    io.etcd.jetcd.Client client() {
        return io.etcd.jetcd.Client.builder().endpoints(endpoint()).maxInboundMessageSize(64 << 20).build();
    }

    /** Deletes every key under {@code prefix}. */
    void deletePrefix(String prefix) {
        try (io.etcd.jetcd.Client c = client()) {
            c.getKVClient().delete(KeyLayout.bytes(prefix + "/"),
                    io.etcd.jetcd.options.DeleteOption.builder().isPrefix(true).build()).get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot delete " + prefix, e);
        }
    }

    /** SIGKILL, as a crash or a power cut would stop it. */
    void kill() {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
            waitFor(p);
            process = null;
        }
    }

    /** SIGSTOP ({@code true}) or SIGCONT: a server that accepts connections but never answers. */
    void freeze(boolean frozen) {
        try {
            Process k = new ProcessBuilder("kill", frozen ? "-STOP" : "-CONT", Long.toString(process.pid())).inheritIO().start();
            if (k.waitFor() != 0) {
                throw new IllegalStateException("kill failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts it again on the same ports and data directory. */
    void restart() {
        kill();
        launch();
    }

    /** Stops it and deletes its data. */
    void stop() {
        kill();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp dir is no reason to fail a test
        }
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException e) {
            // already shutting down
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void launch() {
        String peer = "http://127.0.0.1:" + peerPort;
        List<String> cmd = new ArrayList<>(List.of(BINARY,
                "--name", "default",
                "--data-dir", dir.resolve("data").toString(),
                "--listen-client-urls", endpoint(),
                "--advertise-client-urls", endpoint(),
                "--listen-peer-urls", peer,
                "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "default=" + peer,
                "--initial-cluster-state", "new",
                "--listen-metrics-urls", "http://127.0.0.1:" + metricsPort));
        cmd.addAll(tlsArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("etcd.log").toFile()));
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + BINARY + " (install Debian's etcd-server)", e);
        }
        awaitHealthy();
    }

    private void awaitHealthy() {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("etcd exited with " + process.exitValue() + "; log: " + log());
            }
            if (healthy()) {
                return;
            }
            sleep(50);
        }
        throw new IllegalStateException("etcd did not become healthy in 30 s; log: " + log());
    }

    /** GET /health on the metrics port; a raw socket keeps the test module free of java.net.http. */
    private boolean healthy() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", metricsPort), 500);
            s.setSoTimeout(1000);
            s.getOutputStream().write("GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            return (reply.startsWith("HTTP/1.0 200") || reply.startsWith("HTTP/1.1 200")) && reply.contains("\"health\":\"true\"");
        } catch (IOException e) {
            return false;
        }
    }

    private String log() {
        try {
            String all = Files.readString(dir.resolve("etcd.log"));
            return all.substring(Math.max(0, all.length() - 2000));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void waitFor(Process p) {
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int[] freePorts(int n) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                held.add(s);
                out[i] = s.getLocalPort();
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException e) {
                    // ignore
                }
            }
        }
    }
}
