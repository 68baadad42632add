package dev.whereabouts.cni.launcher.client;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * At most {@link #SLOTS} in-process calls at a time on one node: a slot is a lock on one of a few
 * files in the daemon's socket directory, held until this process exits (the kernel drops it even
 * on SIGKILL). A call that finds every slot taken keeps asking the daemon, which may be back.
 *
 * <p>Why: an in-process call starts a whole engine and store client. Six of them at once on two
 * cores took 5.5–8 s each, past the store budget, so all of them failed; one or two at a time
 * finish in a second each. The gate needs the socket directory (root-only, made by the daemon); a
 * node that never ran a daemon has none, and its calls are not gated.
 */
final class FallbackGate {

    static final int SLOTS = 2;
    private static final long POLL_MILLIS = 50;

    /** What waiting for a slot ended with. */
    sealed interface Turn {
        /** A slot is held until exit: run in-process. */
        record Slot() implements Turn {}

        /** The daemon answered meanwhile. */
        record Answered(Frames.Reply reply) implements Turn {}

        /** No slot within the wait bound. */
        record Busy() implements Turn {}
    }

    private FallbackGate() {
    }

    /** Waits up to {@code maxMillis} for a slot, asking the daemon between tries. */
    static Turn await(Path socket, Frames.Request request, long maxMillis) throws DaemonClient.BrokenCall {
        Path dir = socket.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return new Turn.Slot();
        }
        long deadline = System.nanoTime() + maxMillis * 1_000_000L;
        while (true) {
            if (take(dir)) {
                return new Turn.Slot();
            }
            if (System.nanoTime() > deadline) {
                return new Turn.Busy();
            }
            RestartWait.sleep(POLL_MILLIS);
            Optional<Frames.Reply> reply = DaemonClient.call(socket, request);
            if (reply.isPresent()) {
                return new Turn.Answered(reply.get());
            }
        }
    }

    private static boolean take(Path dir) {
        for (int i = 0; i < SLOTS; i++) {
            try {
                FileChannel ch = FileChannel.open(dir.resolve(".whereabouts-fallback-" + i + ".lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = ch.tryLock();
                if (lock != null) {
                    return true; // channel and lock stay open until the process exits
                }
                ch.close();
            } catch (IOException | OverlappingFileLockException e) {
                return true; // a directory we cannot lock in must not stop the call
            }
        }
        return false;
    }
}
