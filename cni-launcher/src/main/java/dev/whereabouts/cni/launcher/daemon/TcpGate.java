package dev.whereabouts.cni.launcher.daemon;

import dev.whereabouts.cni.launcher.client.Frames;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loopback TCP entrance for the shell-only client, which cannot speak UNIX sockets but starts in
 * a couple of milliseconds where a JVM needs tens to hundreds.
 *
 * <p>Loopback is open to every process of the network namespace, so the file system guards it
 * instead of the socket: the port and two fresh random tokens are written to {@code <socket>.tcp}
 * (0600, in the 0700 socket directory). The daemon greets with the server token, so that a client
 * never sends a call to an impostor on a recycled port; the client then sends the client token,
 * which the daemon compares in constant time before reading anything else. Wire format (text
 * lengths in bytes): greeting {@code WHD1 <server-token>\n}; request
 * {@code WHT1 <client-token> <env-bytes> <stdin-bytes>\n<KEY=VALUE\n...><stdin>}; reply
 * {@code <exit> <stdout-bytes> <stderr-bytes>\n<stdout><stderr>}.
 */
final class TcpGate implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TcpGate.class);
    private static final int MAX_HEADER = 256;
    private static final int IN_BUFFER = 16 << 10;

    private final Path file;
    private final CallMetrics handler;
    private final ExecutorService calls;
    private final String clientToken = token();
    private final String serverToken = token();
    private final byte[] greeting = ("WHD1 " + serverToken + "\n").getBytes(StandardCharsets.US_ASCII);
    private final byte[] clientTokenBytes = clientToken.getBytes(StandardCharsets.US_ASCII);
    private ServerSocket server;

    TcpGate(Path socket, CallMetrics handler, ExecutorService calls) {
        this.file = socket.resolveSibling(socket.getFileName() + ".tcp");
        this.handler = handler;
        this.calls = calls;
    }

    private static String token() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /**
     * The daemon's network namespace as {@code readlink /proc/self/ns/net} shows it. The pid alone
     * does not identify it for a caller in another pid namespace (a DaemonSet pod without hostPID),
     * so the script compares this text when the pid check fails.
     */
    private static String networkNamespace() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "-";
        }
    }

    /** Binds an ephemeral loopback port and publishes it with the tokens. */
    void open() throws IOException {
        server = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
        Path tmp = file.resolveSibling(file.getFileName() + ".new");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, server.getLocalPort() + " " + clientToken + " " + serverToken + " "
                + ProcessHandle.current().pid() + " " + networkNamespace() + "\n");
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Thread.ofPlatform().name("whereabouts-tcp-accept").daemon().start(this::accept);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                calls.submit(() -> serve(s));
            } catch (IOException | java.util.concurrent.RejectedExecutionException e) {
                if (!server.isClosed()) {
                    LOG.error("tcp accept failed: {}", e.toString());
                }
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout(10_000); // an idle or slow peer must not pin a thread
            // buffered: the header is read up to its newline, which unbuffered costs a syscall per byte
            InputStream in = new BufferedInputStream(s.getInputStream(), IN_BUFFER);
            OutputStream out = s.getOutputStream();
            out.write(greeting);
            out.flush();
            String[] head = line(in).split(" ");
            if (head.length != 4 || !head[0].equals("WHT1") || !MessageDigest.isEqual(
                    head[1].getBytes(StandardCharsets.US_ASCII), clientTokenBytes)) {
                LOG.error("tcp: refused a connection without the client token");
                return;
            }
            int envLen = Integer.parseInt(head[2]);
            int stdinLen = Integer.parseInt(head[3]);
            if (envLen < 0 || stdinLen < 0 || envLen > (1 << 20) || stdinLen > (8 << 20)) {
                return;
            }
            Map<String, String> env = new LinkedHashMap<>();
            for (String kv : new String(in.readNBytes(envLen), StandardCharsets.UTF_8).split("\n")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    env.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            byte[] stdin = in.readNBytes(stdinLen);
            Frames.Reply reply = handler.handle(env, stdin);
            var bytes = new ByteArrayOutputStream();
            bytes.write((reply.exitCode() + " " + reply.stdout().length + " " + reply.stderr().length + "\n")
                    .getBytes(StandardCharsets.US_ASCII));
            bytes.write(reply.stdout());
            bytes.write(reply.stderr());
            out.write(bytes.toByteArray());
            out.flush();
        } catch (IOException | RuntimeException e) {
            LOG.error("tcp call dropped: {}", e.toString());
        }
    }

    private static String line(InputStream in) throws IOException {
        var sb = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0 || sb.length() >= MAX_HEADER) {
                throw new IOException("bad header");
            }
            sb.append((char) c);
        }
        return sb.toString();
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
            if (server != null) {
                server.close();
            }
        } catch (IOException e) {
            LOG.error("closing the tcp gate: {}", e.toString());
        }
    }
}
