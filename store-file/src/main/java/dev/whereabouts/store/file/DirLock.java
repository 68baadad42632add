package dev.whereabouts.store.file;

import dev.whereabouts.ipam.api.StoreUnavailableException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The exclusive lock on one data directory, shared by every store of this JVM that uses it.
 *
 * <p>Two locks are needed. {@link FileChannel#lock} takes a POSIX record lock, which keeps other
 * processes (plugin invocations, the daemon) out but is owned by the whole JVM: a second lock from
 * another thread throws {@link OverlappingFileLockException}, and closing <em>any</em> descriptor of
 * the lock file drops the process's lock. So every store of one directory shares one
 * {@code DirLock}, whose {@link ReentrantLock} (fair, so a busy daemon does not starve a request)
 * lets one thread at a time open the lock file, lock it, work and close it.
 *
 * <p>The lock file is opened anew for every call rather than kept open: if an operator removes and
 * re-creates the directory, a long-lived daemon then locks the same file as new plugin processes,
 * not a deleted one. The file lock is polled with {@code tryLock} rather than taken with a blocking
 * {@code lock()}, because a blocking call cannot honour the store's timeout.
 */
final class DirLock {

    // Never shrinks: a JVM uses a handful of directories, and one DirLock per directory for the
    // JVM's whole life means no two channels of this JVM ever lock the same file at once.
    private static final Map<Path, DirLock> ALL = new ConcurrentHashMap<>();

    private final Path lockFile;
    private final ReentrantLock threads = new ReentrantLock(true);

    private DirLock(Path lockFile) {
        this.lockFile = lockFile;
    }

    /** The lock of {@code lockFile} (a real path), the same object for every store of this JVM. */
    static DirLock of(Path lockFile) {
        return ALL.computeIfAbsent(lockFile, DirLock::new);
    }

    /** An action that runs while the lock is held. */
    @FunctionalInterface
    interface Locked<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code action} holding both locks.
     *
     * @throws StoreUnavailableException when the lock is not free within {@code timeout}
     */
    <T> T call(Duration timeout, Locked<T> action) throws IOException {
        if (threads.isHeldByCurrentThread()) {
            // a nested call would open a second descriptor, and closing it would drop the outer lock
            throw new IllegalStateException("nested use of the lock on " + lockFile);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!threads.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw busy(timeout, "another thread of this process");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for " + lockFile, e);
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            // closing the channel releases the file lock
            fileLock(channel, deadline, timeout);
            return action.run();
        } finally {
            threads.unlock();
        }
    }

    private FileLock fileLock(FileChannel channel, long deadline, Duration timeout) throws IOException {
        long pauseMicros = 200;
        while (true) {
            try {
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    return lock;
                }
            } catch (OverlappingFileLockException e) {
                // The same file reached through another path (a bind mount, say) is locked by this
                // JVM under another DirLock: wait for it as for another process.
            }
            if (System.nanoTime() - deadline > 0) {
                throw busy(timeout, "another process");
            }
            try {
                TimeUnit.MICROSECONDS.sleep(pauseMicros);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreUnavailableException("interrupted while waiting for " + lockFile, e);
            }
            pauseMicros = Math.min(pauseMicros * 2, 20_000);
        }
    }

    private StoreUnavailableException busy(Duration timeout, String holder) {
        return new StoreUnavailableException(lockFile + " is held by " + holder + " for more than "
                + timeout.toMillis() + " ms", null);
    }
}
