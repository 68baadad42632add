package dev.whereabouts.ipam.engine.journal;

import dev.whereabouts.ipam.api.AttachmentId;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.engine.config.ConfigLoader;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node-local record of attachments that hold addresses, one file per attachment under
 * {@code <attachments_dir>/<network name>/<containerId>_<ifName>}.
 *
 * <p>Why it exists: pools are cluster-wide, but a runtime's CNI GC lists only the attachments
 * valid on <em>this</em> node, so GC may only release what this node handed out. The journal is
 * that list. Files are written to a temporary name and renamed, so a crash leaves either the old
 * state or the new one. Nothing is fsynced: a killed daemon loses nothing the kernel holds, and
 * after a power loss the attachments whose records it may undo are gone with the node; the
 * reconciler reclaims what their pools still hold.
 */
public final class AttachmentJournal {

    private static final Logger LOG = LoggerFactory.getLogger(AttachmentJournal.class);

    private final Path dir;

    /** A journal rooted at {@code attachmentsDir}. */
    public AttachmentJournal(Path attachmentsDir) {
        this.dir = attachmentsDir;
    }

    /**
     * Checks that an id can name a file (the CNI library's id rule).
     *
     * @throws IpamException code 4 naming the variable
     */
    public static void validate(String variable, String value) {
        if (!ConfigLoader.ID.matcher(value).matches()) {
            throw new IpamException(IpamException.INVALID_ENVIRONMENT, "invalid " + variable,
                    variable + " '" + value + "' must match " + ConfigLoader.ID.pattern());
        }
    }

    /** Writes the record of an attachment, replacing any earlier one. */
    public void write(String network, JournalRecord record) {
        Path file = file(network, record.attachment());
        try {
            if (!Files.isDirectory(file.getParent())) {
                Files.createDirectories(file.getParent()); // throws when it exists, so only when needed
            }
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            try {
                writeFile(tmp, JournalCodec.encode(record));
            } catch (NoSuchFileException e) {
                // a failed ADD of another attachment tidied the empty directory away meanwhile
                Files.createDirectories(file.getParent());
                writeFile(tmp, JournalCodec.encode(record));
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new IpamException(IpamException.IO_FAILURE, "could not write attachment journal", file.toString(), e);
        }
    }

    private static void writeFile(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(bytes));
        }
    }

    /**
     * Takes back the intent of an ADD that failed before anything was written (a config the store
     * refused, say): the record goes, and so does the network's directory when the intent made it
     * and nothing else is in it, so that a refused call leaves no trace.
     */
    public void forgetIntent(String network, AttachmentId attachment) {
        remove(network, attachment);
        try {
            Files.delete(file(network, attachment).getParent());
        } catch (DirectoryNotEmptyException | NoSuchFileException e) {
            // other attachments of the network live here, or it is already gone: either is fine
        } catch (IOException e) {
            LOG.debug("could not tidy the empty journal directory of network {}: {}", network, e.toString());
        }
    }

    /** Removes the record of an attachment; a missing record is fine. */
    public void remove(String network, AttachmentId attachment) {
        try {
            Files.deleteIfExists(file(network, attachment));
        } catch (IOException e) {
            throw new IpamException(IpamException.IO_FAILURE, "could not remove attachment journal record",
                    file(network, attachment).toString(), e);
        }
    }

    /** The record of one attachment, if any. */
    public java.util.Optional<JournalRecord> read(String network, AttachmentId attachment) {
        Path f = file(network, attachment);
        try {
            return java.util.Optional.of(parse(Files.readAllBytes(f)));
        } catch (NoSuchFileException e) {
            return java.util.Optional.empty();
        } catch (IOException e) {
            throw new IpamException(IpamException.IO_FAILURE, "could not read attachment journal record", f.toString(), e);
        }
    }

    /** Every record of a network; unreadable files are reported, never skipped silently (vanished ones are). */
    public List<JournalRecord> list(String network) {
        Path d = dir.resolve(network);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        List<JournalRecord> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(d, p -> !p.getFileName().toString().startsWith("."))) {
            for (Path f : files) {
                try {
                    out.add(parse(Files.readAllBytes(f)));
                } catch (NoSuchFileException gone) {
                    // removed by a concurrent DEL (or the retry loop) since the listing: nothing to do
                }
            }
        } catch (IOException e) {
            throw new IpamException(IpamException.IO_FAILURE, "could not read attachment journal", d.toString(), e);
        }
        return out;
    }

    /** The networks that have a directory in this journal. */
    public List<String> networks() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(dir, Files::isDirectory)) {
            dirs.forEach(d -> out.add(d.getFileName().toString()));
        } catch (IOException e) {
            throw new IpamException(IpamException.IO_FAILURE, "could not list attachment journal", dir.toString(), e);
        }
        return out;
    }

    /**
     * Removes temporary files that a process killed between write and rename left behind. Only files
     * older than {@code age}: a younger one may belong to a write in progress in another process.
     *
     * @return how many were removed
     */
    public int sweepLitter(Duration age) {
        Instant before = Instant.now().minus(age);
        int removed = 0;
        for (String network : networks()) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir.resolve(network),
                    p -> p.getFileName().toString().startsWith(".") && p.getFileName().toString().endsWith(".tmp"))) {
                for (Path f : files) {
                    if (Files.getLastModifiedTime(f).toInstant().isBefore(before) && Files.deleteIfExists(f)) {
                        removed++;
                    }
                }
            } catch (IOException e) {
                // litter is harmless: the next sweep tries again
            }
        }
        return removed;
    }

    /** The directory this journal lives in. */
    public Path directory() {
        return dir;
    }

    private Path file(String network, AttachmentId a) {
        validate("network name", network);
        validate("CNI_CONTAINERID", a.containerId());
        validate("CNI_IFNAME", a.ifName());
        return dir.resolve(network).resolve(a.containerId() + "_" + a.ifName());
    }

    private static JournalRecord parse(byte[] bytes) {
        return JournalCodec.decode(bytes);
    }
}
