package dev.whereabouts.hammer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** A real etcd (Debian's {@code etcd-server}) on two free loopback ports. */
final class EtcdHammerBackend implements HammerBackend {

    private final Process etcd;
    private final int clientPort;

    private EtcdHammerBackend(Process etcd, int clientPort) {
        this.etcd = etcd;
        this.clientPort = clientPort;
    }

    static EtcdHammerBackend start(Path dataDir) throws IOException, InterruptedException {
        Files.createDirectories(dataDir);
        int client = freePort();
        int peer = freePort();
        String clientUrl = "http://127.0.0.1:" + client;
        String peerUrl = "http://127.0.0.1:" + peer;
        Process p = new ProcessBuilder("etcd", "--name", "hammer", "--data-dir", dataDir.resolve("data").toString(),
                "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
                "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
                "--initial-cluster", "hammer=" + peerUrl, "--log-level", "error")
                .redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("etcd.log").toFile())
                .start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", client), 200);
                return new EtcdHammerBackend(p, client);
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        p.destroyForcibly();
        throw new IOException("etcd did not start; see " + dataDir.resolve("etcd.log"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public String ipamFields() {
        return "\"datastore\":\"etcd\",\"etcd_host\":\"127.0.0.1:" + clientPort + "\",\"etcd_prefix\":\"/hammer\"";
    }

    @Override
    public void close() throws InterruptedException {
        etcd.destroy();
        etcd.waitFor();
    }
}
