package dev.whereabouts.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real single-member etcd ({@code /usr/bin/etcd}, Debian's {@code etcd-server}) on free loopback
 * ports with a throwaway data directory under {@code parent}. Shared by the store load harness and
 * the cluster burst, which both need a disposable etcd they can read metrics from.
 */
public final class EtcdServer implements AutoCloseable {

    private static final String BINARY = "/usr/bin/etcd";

    private final Path dir;
    private final int clientPort;
    private final int metricsPort;
    private final List<String> command;
    private volatile Process process;

    /** Starts etcd and waits until it answers {@code /health}. */
    public EtcdServer(Path parent) {
        try {
            this.dir = Files.createTempDirectory(parent, "bench-etcd-");
            int[] ports = freePorts(3);
            this.clientPort = ports[0];
            this.metricsPort = ports[2];
            String client = "http://127.0.0.1:" + ports[0];
            String peer = "http://127.0.0.1:" + ports[1];
            this.command = List.of(BINARY, "--name", "default", "--data-dir", dir.resolve("data").toString(),
                    "--listen-client-urls", client, "--advertise-client-urls", client,
                    "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                    "--initial-cluster", "default=" + peer, "--initial-cluster-state", "new",
                    "--listen-metrics-urls", "http://127.0.0.1:" + metricsPort);
            this.process = launch();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> process.destroyForcibly()));
            awaitHealthy();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + BINARY + " (Debian package etcd-server)", e);
        }
    }

    private Process launch() throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("etcd.log").toFile())).start();
    }

    /** SIGKILL, as a crash would; the data directory stays for {@link #restart()}. */
    public void kill() {
        killAndWait(process);
    }

    /** SIGKILL and wait until the process is gone; shared by the harnesses that crash what they run. */
    public static void killAndWait(Process p) {
        p.destroyForcibly();
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts etcd again on the same ports and data, and waits until it answers {@code /health}. */
    public void restart() {
        try {
            process = launch();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restart " + BINARY, e);
        }
        awaitHealthy();
    }

    /** SIGSTOP ({@code true}) or SIGCONT: a server that hangs, with its connections open. */
    public void pause(boolean paused) {
        try {
            Process kill = new ProcessBuilder("kill", paused ? "-STOP" : "-CONT", Long.toString(process.pid())).start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill " + (paused ? "-STOP" : "-CONT") + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The etcd process running now, if any (for its CPU time). */
    public java.util.OptionalLong pid() {
        Process p = process;
        return p == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(p.pid());
    }

    /** {@code 127.0.0.1:PORT} of the client URL. */
    public String endpoint() {
        return "127.0.0.1:" + clientPort;
    }

    /** The directory holding the data and {@code etcd.log}. */
    public Path dir() {
        return dir;
    }

    /** The server's Prometheus text ({@code /metrics}), read over plain HTTP/1.0. */
    public String metrics() {
        return get("/metrics");
    }

    /** The first line of {@code etcd --version}. */
    public static String version() {
        try {
            Process p = new ProcessBuilder(BINARY, "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return out.lines().findFirst().orElse("").replace("etcd Version: ", "").strip();
        } catch (IOException e) {
            return "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    @Override
    public void close() {
        kill();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp dir does not spoil the numbers
        }
    }

    private String get(String path) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", metricsPort), 500);
            s.setSoTimeout(5000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("etcd " + path, e);
        }
    }

    private void awaitHealthy() {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("etcd exited; see " + dir.resolve("etcd.log"));
            }
            try {
                if (get("/health").contains("\"health\":\"true\"")) {
                    return;
                }
            } catch (UncheckedIOException e) {
                // not up yet
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("etcd did not become healthy in 30 s");
    }

    private static int[] freePorts(int n) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(s);
                out[i] = s.getLocalPort();
            }
            return out;
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
    }
}
