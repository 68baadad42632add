package dev.whereabouts.cni.launcher.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A killed daemon's socket makes a call wait for its restart, once; no socket means no wait. */
class RestartWaitTest {

    @TempDir
    Path dir;

    private static final Frames.Request CALL = new Frames.Request(Map.of("CNI_COMMAND", "DEL"), new byte[0]);

    /** Binds and closes a socket without removing its file: what SIGKILL leaves behind. */
    private Path deadSocket() throws Exception {
        Path socket = dir.resolve("d.sock");
        ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        dead.bind(UnixDomainSocketAddress.of(socket));
        dead.close();
        assertTrue(Files.exists(socket));
        return socket;
    }

    @Test
    void aRestartedDaemonAnswersTheWaitingCall() throws Exception {
        Path socket = deadSocket();
        Thread restart = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(200);
                Files.delete(socket); // as Daemon.bind does with a stale socket
                try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                    server.bind(UnixDomainSocketAddress.of(socket));
                    try (SocketChannel ch = server.accept()) {
                        Frames.read(ch);
                        Frames.write(ch, Frames.encodeReply(new Frames.Reply(0, "ok".getBytes(StandardCharsets.UTF_8), new byte[0])));
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Optional<Frames.Reply> reply = RestartWait.await(socket, CALL, 10_000);
        restart.join();
        assertEquals("ok", new String(reply.orElseThrow().stdout(), StandardCharsets.UTF_8));
    }

    @Test
    void aDaemonThatStaysDeadIsWaitedForOnlyOnce() throws Exception {
        Path socket = deadSocket();
        assertEquals(Optional.empty(), RestartWait.await(socket, CALL, 100));
        assertTrue(Files.exists(dir.resolve(RestartWait.MARKER)), "the dead socket is remembered");
        long start = System.nanoTime();
        assertEquals(Optional.empty(), RestartWait.await(socket, CALL, 60_000));
        assertTrue(System.nanoTime() - start < 30_000_000_000L, "the second call did not wait out the grace");
    }

    @Test
    void noSocketMeansNoDaemonToWaitFor() throws Exception {
        assertEquals(Optional.empty(), RestartWait.await(dir.resolve("none.sock"), CALL, 60_000));
    }
}
