package dev.whereabouts.ipam.engine.journal;

import dev.whereabouts.ipam.api.AttachmentId;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.engine.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node-local record of attachments that hold addresses, one file per attachment under
 * {@code <attachments_dir>/<network name>/<containerId>_<ifName>}.
 *
 * <p>Why it exists: pools are cluster-wide, but a runtime's CNI GC lists only the attachments
 * valid on <em>this</em> node, so GC may only release what this node handed out. The journal is
 * that list. A record is replaced through a temporary file and a rename, so a crash leaves either
 * the old state or the new one; the two writes of every ADD take cheaper routes that keep that
 * promise against a killed process (see {@link RecordFiles}). Nothing is fsynced: a killed daemon
 * loses nothing the kernel holds, and after a power loss the attachments whose records it may undo
 * or tear are gone with the node; DEL and GC release the attachment of a record they cannot read in
 * the configured ranges, and the reconciler reclaims what their pools still hold.
 */
public final class AttachmentJournal {

    private static final Logger LOG = LoggerFactory.getLogger(AttachmentJournal.class);

    private static final int MAX_DIRECTORY_TRIES = 100;

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

    /** Writes the record of an attachment, replacing any earlier one atomically. */
    public void write(String network, JournalRecord record) {
        store(network, record, RecordFiles::replace);
    }

    /**
     * Writes the first record of an attachment that has none, without the temporary file and rename
     * of {@link #write}; when a record exists after all, it is replaced as {@link #write} does.
     */
    public void create(String network, JournalRecord record) {
        store(network, record, (file, bytes) -> {
            if (!RecordFiles.create(file, bytes)) {
                RecordFiles.replace(file, bytes);
            }
        });
    }

    /**
     * Replaces the record that {@link #create} or {@link #write} left, in place when it fits in one
     * page (an ADD's answer rewriting its own intent), else atomically as {@link #write} does.
     */
    public void settle(String network, JournalRecord record) {
        store(network, record, (file, bytes) -> {
            try {
                if (RecordFiles.overwrite(file, bytes)) {
                    return;
                }
            } catch (NoSuchFileException gone) {
                // removed meanwhile (a GC that judged the attachment gone): write it whole again
            }
            RecordFiles.replace(file, bytes);
        });
    }

    /** How one of the writers above puts the bytes of a record into its file. */
    private interface Writer {
        void write(Path file, byte[] bytes) throws IOException;
    }

    private void store(String network, JournalRecord record, Writer writer) {
        Path file = file(network, record.attachment());
        byte[] bytes = JournalCodec.encode(record);
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    writer.write(file, bytes);
                    return;
                } catch (NoSuchFileException e) {
                    // The network's first record (asking first would cost a stat(2) on every write),
                    // or a refused ADD of another attachment tidied the empty directory away
                    // (forgetIntent), even between our mkdir and our write. That stops once our
                    // record is in it; the bound only keeps a directory that something else keeps
                    // removing from holding the call forever.
                    if (attempt == MAX_DIRECTORY_TRIES) {
                        throw e;
                    }
                    Files.createDirectories(file.getParent());
                }
            }
        } catch (IOException e) {
            throw new IpamException(IpamException.IO_FAILURE, "could not write attachment journal", file.toString(), e);
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
        Path f = file(network, attachment);
        try {
            // One unlink(2), where Files.deleteIfExists makes an lstat(2) first to choose unlink or
            // rmdir; when it fails, ask again the slow way for the reason (a missing file is fine).
            if (!f.toFile().delete()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new IpamException(IpamException.IO_FAILURE, "could not remove attachment journal record",
                    f.toString(), e);
        }
    }

    /**
     * The record of one attachment, if any. An empty file counts as none: only a create killed
     * between its open and its write leaves one, and that ADD had not reached the store yet.
     *
     * @throws IpamException code 6 when the record cannot be read
     */
    public Optional<JournalRecord> read(String network, AttachmentId attachment) {
        Path f = file(network, attachment);
        if (!Files.exists(f)) {
            // An ADD's record is usually absent: access(2) is cheaper than the exception a failed open throws.
            return Optional.empty();
        }
        try {
            return RecordFiles.read(f);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new IpamException(IpamException.IO_FAILURE, "could not read attachment journal record", f.toString(), e);
        }
    }

    /**
     * The records of a network.
     *
     * @param records the records that can be read
     * @param unreadable the attachments, as their file names tell, whose records are empty or
     *     damaged (a power loss may leave either); vanished files are in neither list
     */
    public record Listing(List<JournalRecord> records, List<AttachmentId> unreadable) {}

    /**
     * Every record of a network. Nothing is logged here: the daemon's retry loop lists every pass,
     * and GC, DEL and {@code ctl pending} each report an unreadable record in their own terms.
     */
    public Listing listing(String network) {
        Path d = dir.resolve(network);
        List<JournalRecord> records = new ArrayList<>();
        List<AttachmentId> unreadable = new ArrayList<>();
        if (!Files.isDirectory(d)) {
            return new Listing(records, unreadable);
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(d, p -> !p.getFileName().toString().startsWith("."))) {
            for (Path f : files) {
                Optional<JournalRecord> record;
                try {
                    record = RecordFiles.read(f);
                } catch (NoSuchFileException gone) {
                    continue; // removed by a concurrent DEL (or the retry loop) since the listing
                } catch (IpamException damaged) {
                    record = Optional.empty();
                }
                if (record.isPresent()) {
                    records.add(record.get());
                } else {
                    RecordFiles.attachmentOf(f).ifPresent(unreadable::add); // empty or damaged
                }
            }
        } catch (IOException e) {
            throw new IpamException(IpamException.IO_FAILURE, "could not read attachment journal", d.toString(), e);
        }
        return new Listing(records, unreadable);
    }

    /** The readable records of a network (see {@link #listing}). */
    public List<JournalRecord> list(String network) {
        return listing(network).records();
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
}
