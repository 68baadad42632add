package dev.whereabouts.store.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * File operations that survive {@code kill -9} at any instant: a file is replaced by writing a
 * sibling temp file and renaming it over the target, so a reader or a crash sees the old content or
 * the new, never a mix.
 *
 * <p>Why no fsync: like host-local, the store is as durable as the node's page cache. A process
 * crash loses nothing (the kernel still holds every write). A power loss may undo the last writes,
 * but every pod whose address they recorded died with the node; what a lost delete leaves taken is
 * reclaimed by CNI GC or the reconciler. Syncing each file and directory cost about 4 ms of CPU per
 * CNI call, more than everything else the daemon does.
 */
final class AtomicFiles {

    private static final Logger LOG = LoggerFactory.getLogger(AtomicFiles.class);
    // Nothing in the store is secret, and world-readable files let an operator inspect a node.
    private static final FileAttribute<?> FILE_MODE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--"));
    private static final FileAttribute<?> DIR_MODE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x"));

    private AtomicFiles() {}

    private static final Set<StandardOpenOption> CREATE_NEW =
            Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    private static final Set<StandardOpenOption> WRITE_OR_CREATE = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE);

    /** Replaces {@code target} with {@code text} atomically. */
    static void write(Path target, String text) throws IOException {
        Path tmp = target.resolveSibling(Layout.TEMP_PREFIX + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        boolean moved = false;
        try {
            try (FileChannel ch = open(tmp, CREATE_NEW)) {
                writeFully(ch, text);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Writes {@code target} in place, creating it if needed. Not atomic: only for a step of a
     * journalled commit, whose files nothing reads without the lock, since the next lock holder
     * replays the journal, and so the step, before anyone reads it.
     *
     * <p>Why not a temp file and a rename: on ext4 a rename over a file, like a truncation to zero,
     * makes the kernel write the new data out at once ({@code auto_da_alloc}); in a bare loop on the
     * CI machine's disk a pool rewrite cost 200-300 µs of CPU that way and 17-47 µs written over in
     * place. So the text goes over the old bytes from the start, and only a file that shrank is cut
     * to its new length afterwards (never to zero).
     */
    static void overwrite(Path target, String text) throws IOException {
        try (FileChannel ch = openToWrite(target)) {
            overwrite(ch, text.getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    /** Writes {@code bytes} over the file of {@code ch} from its start, as {@link #overwrite(Path, String)} does. */
    static void overwrite(FileChannel ch, byte[] bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
            ch.write(buf, buf.position());
        }
        if (ch.size() > bytes.length) {
            ch.truncate(bytes.length);
        }
    }

    /** Opens a file to write in place, creating it (and its directory) if needed. */
    static FileChannel openToWrite(Path file) throws IOException {
        return open(file, WRITE_OR_CREATE);
    }

    /**
     * Opens a file to write, creating its directory only when the open finds it missing: the store
     * made every directory when it started, so asking first would cost a stat(2) per file for nothing.
     */
    private static FileChannel open(Path file, Set<StandardOpenOption> options) throws IOException {
        try {
            return FileChannel.open(file, options, FILE_MODE);
        } catch (NoSuchFileException e) {
            ensureDir(file.getParent());
            return FileChannel.open(file, options, FILE_MODE);
        }
    }

    private static void writeFully(FileChannel ch, String text) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    /** Deletes {@code target}; a missing file is fine. */
    static void delete(Path target) throws IOException {
        // One unlink(2), where Files.deleteIfExists makes an lstat(2) first to choose unlink or rmdir;
        // when it fails, ask again the slow way for the reason (a missing file is no failure).
        if (!target.toFile().delete()) {
            Files.deleteIfExists(target);
        }
    }

    /** The file's text, or empty when it does not exist. */
    static Optional<String> read(Path file) throws IOException {
        // Most reads look for a file that is usually absent (the journal, a free reservation): a
        // failed open costs two exceptions with stack traces, access(2) none. That the directory is
        // searchable makes "not accessible" mean "absent"; otherwise the read below reports why.
        if (!Files.exists(file) && Files.isExecutable(file.getParent())) {
            return Optional.empty();
        }
        try {
            // ISO-8859-1 maps every byte, so damage shows up as a parse error, never as a charset error
            return Optional.of(Files.readString(file, StandardCharsets.ISO_8859_1));
        } catch (NoSuchFileException e) {
            return Optional.empty(); // removed since the check
        }
    }

    /**
     * The text of a file that is usually there (a pool), or empty when it does not exist: opened
     * at once, without the access(2) that {@link #read} spends on files that are usually absent.
     */
    static Optional<String> readPresent(Path file) throws IOException {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.ISO_8859_1));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Creates a directory (and its parents) if it is missing. */
    static void ensureDir(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        ensureDir(dir.getParent());
        try {
            Files.createDirectory(dir, DIR_MODE);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }

    /**
     * Removes temp files that a killed writer left behind. Only call this while holding the store
     * lock: writers create temp files only under it, so none of these belongs to a live writer.
     */
    static int removeTemps(List<Path> dirs) throws IOException {
        int removed = 0;
        for (Path dir : dirs) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, Layout.TEMP_PREFIX + "*")) {
                for (Path p : entries) {
                    Files.deleteIfExists(p);
                    removed++;
                    LOG.warn("removed {} left behind by an interrupted write", p);
                }
            } catch (NoSuchFileException e) {
                // a directory that does not exist holds no leftovers
            }
        }
        return removed;
    }
}
