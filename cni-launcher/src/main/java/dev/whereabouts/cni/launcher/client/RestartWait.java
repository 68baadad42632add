package dev.whereabouts.cni.launcher.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * Gives a node daemon that died a short, bounded chance to come back before a call falls back to
 * running in this process.
 *
 * <p>Why: a daemon stopped on purpose removes its socket; one that was killed leaves it behind, and
 * its supervisor restarts it within a second or two. Running every call of that moment in-process
 * costs seconds each (a full engine start per call, all of them at once on a small node), while
 * the restarted daemon would answer in milliseconds. A socket that stayed dead for a whole grace
 * period is remembered in a marker next to it, so that a daemon that is not coming back costs
 * later calls nothing; a new daemon binds a new socket file, which the marker does not name.
 */
final class RestartWait {

    static final String MARKER = ".whereabouts-dead-socket";
    private static final long POLL_MILLIS = 25;

    private RestartWait() {
    }

    /** The daemon's reply once it answers within {@code graceMillis}, or empty (run in-process). */
    static Optional<Frames.Reply> await(Path socket, Frames.Request request, long graceMillis)
            throws DaemonClient.BrokenCall {
        String identity = identity(socket);
        if (identity == null || graceMillis <= 0 || identity.equals(marker(socket))) {
            return Optional.empty(); // no socket: no daemon here, or one stopped on purpose
        }
        long deadline = System.nanoTime() + graceMillis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            sleep(POLL_MILLIS);
            Optional<Frames.Reply> reply = DaemonClient.call(socket, request);
            if (reply.isPresent()) {
                return reply;
            }
        }
        if (identity.equals(identity(socket))) {
            remember(socket, identity);
        }
        return Optional.empty();
    }

    /** Device, inode and modification time of the socket file, or null when there is none. */
    static String identity(Path socket) {
        try {
            BasicFileAttributes a = Files.readAttributes(socket, BasicFileAttributes.class);
            return a.fileKey() + " " + a.lastModifiedTime().toMillis();
        } catch (IOException e) {
            return null;
        }
    }

    private static String marker(Path socket) {
        try {
            return Files.readString(markerFile(socket), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static void remember(Path socket, String identity) {
        try {
            Path tmp = Files.createTempFile(socket.getParent(), MARKER, ".tmp");
            Files.writeString(tmp, identity, StandardCharsets.UTF_8);
            Files.move(tmp, markerFile(socket), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | UnsupportedOperationException e) {
            // only an optimisation: the next call waits once more
        }
    }

    private static Path markerFile(Path socket) {
        return socket.resolveSibling(MARKER);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
