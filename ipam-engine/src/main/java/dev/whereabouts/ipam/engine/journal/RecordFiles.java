package dev.whereabouts.ipam.engine.journal;

import dev.whereabouts.ipam.api.AttachmentId;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.engine.config.ConfigLoader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;

/**
 * How a record sits in its file: written in one of three ways, from the safest to the cheapest,
 * and read back.
 *
 * <p>Why three: an ADD writes its record twice, and on ext4 a rename over an existing file forces
 * the new file's data out at once (its {@code auto_da_alloc} guard), which made the journal a third
 * of a warm daemon's CPU per call. A new record needs no rename: a file that nobody had is created
 * with its content in one write. A record an ADD settles is overwritten in place in one write of
 * at most a page, which a killed process either made whole or never started; only a power loss
 * can tear it, and a torn record is read as unreadable, whose attachment DEL and GC still release
 * in the configured ranges.
 */
final class RecordFiles {

    /** The smallest page size of the platforms we run on: a write within one page lands whole or not at all. */
    static final int PAGE = 4096;

    private RecordFiles() {}

    /** Replaces {@code file} by way of a temporary file and a rename: atomic whatever its size. */
    static void replace(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(ch, ByteBuffer.wrap(bytes));
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Creates {@code file} with {@code bytes} when it does not exist.
     *
     * @return false when it exists (nothing was written)
     */
    static boolean create(Path file, byte[] bytes) throws IOException {
        if (bytes.length > PAGE) {
            return false; // a longer first write could be cut short by a kill: let the caller replace
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            writeFully(ch, ByteBuffer.wrap(bytes));
            return true;
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return false;
        }
    }

    /**
     * Overwrites {@code file} in place with {@code bytes}, padded with blanks (which JSON ignores)
     * to the file's length, so that no truncation follows the write.
     *
     * @return false when that cannot be done in one page (nothing was written)
     * @throws NoSuchFileException when the file is gone
     */
    static boolean overwrite(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            long size = ch.size();
            if (bytes.length > PAGE || size > PAGE) {
                return false;
            }
            byte[] padded = bytes;
            if (size > bytes.length) {
                padded = Arrays.copyOf(bytes, (int) size);
                Arrays.fill(padded, bytes.length, padded.length, (byte) ' ');
            }
            ByteBuffer buf = ByteBuffer.wrap(padded);
            while (buf.hasRemaining()) {
                ch.write(buf, buf.position());
            }
            return true;
        }
    }

    /** Reads a record; one that reads damaged is read once more, as {@link #overwrite} may have been mid-write. */
    static Optional<JournalRecord> read(Path f) throws IOException {
        byte[] bytes = Files.readAllBytes(f);
        if (bytes.length == 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(decode(f, bytes));
        } catch (IpamException torn) {
            return Optional.of(decode(f, Files.readAllBytes(f)));
        }
    }

    private static JournalRecord decode(Path f, byte[] bytes) {
        try {
            return JournalCodec.decode(bytes);
        } catch (IpamException e) {
            throw new IpamException(IpamException.DECODING_FAILURE, "attachment journal record is damaged",
                    f + ": " + e.getMessage());
        } catch (RuntimeException e) {
            // valid JSON of the wrong shape: a field missing or of another type
            throw new IpamException(IpamException.DECODING_FAILURE, "attachment journal record is damaged",
                    f + ": " + e);
        }
    }

    /** The attachment a record's file name stands for, if the name is one of ours. */
    static Optional<AttachmentId> attachmentOf(Path f) {
        String name = f.getFileName().toString();
        int cut = name.lastIndexOf('_'); // container ids may hold '_' too, interface names rarely do
        if (cut < 1 || cut == name.length() - 1) {
            return Optional.empty();
        }
        String id = name.substring(0, cut);
        String ifName = name.substring(cut + 1);
        if (!ConfigLoader.ID.matcher(id).matches() || !ConfigLoader.ID.matcher(ifName).matches()) {
            return Optional.empty();
        }
        return Optional.of(new AttachmentId(id, ifName));
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }
}
