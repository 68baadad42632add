package dev.whereabouts.cni.launcher.daemon;

import dev.whereabouts.cni.launcher.CniHandler;
import dev.whereabouts.cni.launcher.client.Frames;
import dev.whereabouts.metrics.MetricRegistry;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node daemon: accepts calls on a UNIX socket and serves each on its own virtual thread with
 * one warm {@link CniHandler}.
 *
 * <p>Access control is the file system's: the socket lives in a directory only its owner may enter
 * (0700) and is itself 0600. As a second check each connection's peer credentials
 * ({@code SO_PEERCRED}) must name the daemon's own user or root.
 */
public final class Daemon implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

    private final Path socket;
    private final CniHandler handler;
    private final CallMetrics metered;
    private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
    private final String self = System.getProperty("user.name");
    private final TcpGate tcp;
    private ServerSocketChannel server;
    private volatile boolean stopping;

    /**
     * A daemon for {@code socket}, serving with {@code handler}; with {@code loopbackTcp} it also
     * opens the token-guarded loopback entrance for the shell client (see {@link TcpGate}).
     */
    public Daemon(Path socket, CniHandler handler, boolean loopbackTcp) {
        this(socket, handler, loopbackTcp, new MetricRegistry());
    }

    /** The same, counting every call (command, CNI code, duration) in {@code registry}. */
    public Daemon(Path socket, CniHandler handler, boolean loopbackTcp, MetricRegistry registry) {
        this.socket = socket.toAbsolutePath();
        this.handler = handler;
        this.metered = new CallMetrics(handler, registry);
        this.tcp = loopbackTcp ? new TcpGate(this.socket, metered, calls) : null;
    }

    /** Whether a call is being served right now (the start-up warm-up gives way to real calls). */
    public boolean busy() {
        return metered.busy();
    }

    /** Binds the socket; afterwards clients connect. */
    public void bind() throws IOException {
        SocketDirectory.prepare(socket.getParent());
        if (Files.exists(socket)) {
            if (answers(socket)) {
                throw new IOException("another daemon is listening on " + socket);
            }
            Files.delete(socket); // left over from a daemon that died without cleaning up
        }
        if (tcp != null) {
            tcp.open(); // before the socket appears: the socket file is the readiness signal
        }
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        LOG.info("whereabouts daemon listening on {} with stores {}", socket, handler.storeNames());
    }

    /** Accepts until {@link #close()}; returns once the listening socket is closed. */
    public void serve() {
        while (!stopping) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (stopping) {
                    return;
                }
                LOG.error("accept failed", e);
                continue;
            }
            try {
                calls.submit(() -> serveOne(ch));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                closeQuietly(ch); // shutting down
            }
        }
    }

    private void serveOne(SocketChannel ch) {
        try (ch) {
            if (!trusted(ch)) {
                return;
            }
            Frames.Request request = Frames.decodeRequest(Frames.read(ch));
            Frames.Reply reply = metered.handle(request.env(), request.stdin());
            Frames.write(ch, Frames.encodeReply(reply));
        } catch (IOException e) {
            LOG.error("call dropped: {}", e.toString());
        } catch (RuntimeException | Error e) {
            LOG.error("call failed", e); // the client sees a dropped call: code 11, or a local DEL
        }
    }

    private boolean trusted(SocketChannel ch) throws IOException {
        UnixDomainPrincipal peer = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
        String user = peer.user().getName();
        if (user.equals(self) || user.equals("root")) {
            return true;
        }
        LOG.error("refused a call from user {}", user);
        return false;
    }

    private static boolean answers(Path socket) {
        try (var ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops accepting, lets calls in flight finish, closes the engine and removes the socket. */
    @Override
    public void close() {
        stopping = true;
        if (tcp != null) {
            tcp.close();
        }
        closeQuietly(server);
        calls.shutdown();
        try {
            if (!calls.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.error("calls still running after 30 s; closing anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        handler.close();
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.error("could not remove {}", socket, e);
        }
        LOG.info("whereabouts daemon stopped");
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (IOException ignored) {
            // already closed
        }
    }
}
