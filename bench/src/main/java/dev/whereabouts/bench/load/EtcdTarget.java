package dev.whereabouts.bench.load;

import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import dev.whereabouts.ipam.spi.StoreProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * A real single-member etcd ({@code /usr/bin/etcd}, Debian's {@code etcd-server}) on free loopback
 * ports with a throwaway data directory, and the {@code etcd} store found through
 * {@link ServiceLoader} as the plugin finds it.
 *
 * <p>The data directory defaults to the system temp directory; {@code -Dbench.etcd.dir=/dev/shm}
 * takes fsync out of the picture to measure the client side alone.
 */
public final class EtcdTarget implements LoadTarget {

    private static final String BINARY = "/usr/bin/etcd";

    private final Path dir;
    private final int clientPort;
    private final Process process;
    private final StoreProvider provider;

    /** Starts etcd and waits until it answers {@code /health}. */
    public EtcdTarget() {
        try {
            Path parent = Path.of(System.getProperty("bench.etcd.dir", System.getProperty("java.io.tmpdir")));
            this.dir = Files.createTempDirectory(parent, "bench-etcd-");
            int[] ports = freePorts(3);
            this.clientPort = ports[0];
            String client = "http://127.0.0.1:" + ports[0];
            String peer = "http://127.0.0.1:" + ports[1];
            this.process = new ProcessBuilder(BINARY, "--name", "default", "--data-dir", dir.resolve("data").toString(),
                    "--listen-client-urls", client, "--advertise-client-urls", client,
                    "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                    "--initial-cluster", "default=" + peer, "--initial-cluster-state", "new",
                    "--listen-metrics-urls", "http://127.0.0.1:" + ports[2])
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("etcd.log").toFile())
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
            awaitHealthy(ports[2]);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + BINARY + " (Debian package etcd-server)", e);
        }
        this.provider = ServiceLoader.load(StoreProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("etcd")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no 'etcd' StoreProvider on the path (store-etcd)"));
    }

    @Override
    public String describe() {
        return "etcd " + version() + " (single member, loopback, data in " + dir.getParent() + ")";
    }

    @Override
    public IpamStore open() {
        return provider.open(new StoreConfig(Map.of("etcd_host", "127.0.0.1:" + clientPort,
                "etcd_prefix", "/bench", "etcd_timeout_ms", 30_000)));
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp dir does not spoil the numbers
        }
    }

    private static String version() {
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

    private void awaitHealthy(int metricsPort) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("etcd exited; see " + dir.resolve("etcd.log"));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", metricsPort), 500);
                s.setSoTimeout(1000);
                s.getOutputStream().write("GET /health HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                if (new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).contains("\"health\":\"true\"")) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            try {
                Thread.sleep(50);
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
                ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
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
