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

    /** Replaces {@code target} with {@code text} atomically. */
    static void write(Path target, String text) throws IOException {
        Path dir = target.getParent();
        ensureDir(dir);
        Path tmp = dir.resolve(Layout.TEMP_PREFIX + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp,
                    Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), FILE_MODE)) {
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
     * Creates {@code target} with {@code text} in one go, without a temp file and a rename. Not
     * atomic: a writer killed mid-write leaves a prefix, so only for a file whose reader tells a
     * prefix from the whole (the journal: {@link RecordText#cutShort}).
     *
     * @return false when {@code target} exists (nothing was written)
     */
    static boolean create(Path target, String text) throws IOException {
        ensureDir(target.getParent());
        try (FileChannel ch = FileChannel.open(target,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), FILE_MODE)) {
            writeFully(ch, text);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    /**
     * Writes {@code target} in place, creating it if needed. Not atomic: only for a step of a
     * journalled commit whose file nothing reads without the lock, since the next lock holder
     * replays the journal, and so the step, before anyone reads it.
     */
    static void overwrite(Path target, String text) throws IOException {
        ensureDir(target.getParent());
        try (FileChannel ch = FileChannel.open(target, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING), FILE_MODE)) {
            writeFully(ch, text);
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
        Files.deleteIfExists(target);
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
