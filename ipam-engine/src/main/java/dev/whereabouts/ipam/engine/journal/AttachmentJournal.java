package dev.whereabouts.ipam.engine.journal;

import dev.whereabouts.ipam.api.AttachmentId;
import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.engine.config.ConfigLoader;
import dev.whereabouts.ipam.engine.config.Json;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The node-local record of attachments that hold addresses, one file per attachment under
 * {@code <attachments_dir>/<network name>/<containerId>_<ifName>}.
 *
 * <p>Why it exists: pools are cluster-wide, but a runtime's CNI GC lists only the attachments
 * valid on <em>this</em> node, so GC may only release what this node handed out. The journal is
 * that list. Files are written to a temporary name, synced and renamed, so a crash leaves either
 * the old state or the new one.
 */
public final class AttachmentJournal {

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
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("containerId", record.attachment().containerId());
        doc.put("ifName", record.attachment().ifName());
        doc.put("podRef", record.podRef());
        List<Map<String, Object>> entries = new ArrayList<>();
        for (JournalRecord.Entry e : record.entries()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("range", e.pool().range().toString());
            m.put("networkName", e.pool().networkName());
            m.put("nodeName", e.pool().nodeName());
            m.put("ip", e.ip().toString());
            entries.add(m);
        }
        doc.put("entries", entries);
        try {
            if (!Files.isDirectory(file.getParent())) {
                Files.createDirectories(file.getParent()); // throws when it exists, so only when needed
            }
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(Json.writeBytes(doc)));
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(file.getParent());
        } catch (IOException e) {
            throw new IpamException(IpamException.IO_FAILURE, "could not write attachment journal", file.toString(), e);
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

    /** Every record of a network; unreadable files are reported, never skipped silently. */
    public List<JournalRecord> list(String network) {
        Path d = dir.resolve(network);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        List<JournalRecord> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(d, p -> !p.getFileName().toString().startsWith("."))) {
            for (Path f : files) {
                out.add(parse(Files.readAllBytes(f)));
            }
        } catch (IOException e) {
            throw new IpamException(IpamException.IO_FAILURE, "could not read attachment journal", d.toString(), e);
        }
        return out;
    }

    /** Makes the rename itself durable; best effort, as not every file system lets a directory be synced. */
    private static void syncDirectory(Path directory) {
        try (FileChannel ch = FileChannel.open(directory, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // The record is written; only its survival across a power loss is less certain.
        }
    }

    private Path file(String network, AttachmentId a) {
        validate("network name", network);
        validate("CNI_CONTAINERID", a.containerId());
        validate("CNI_IFNAME", a.ifName());
        return dir.resolve(network).resolve(a.containerId() + "_" + a.ifName());
    }

    @SuppressWarnings("unchecked")
    private static JournalRecord parse(byte[] bytes) {
        Map<String, Object> doc = Json.parseObject(bytes, "attachment journal");
        List<JournalRecord.Entry> entries = new ArrayList<>();
        for (Object o : (List<Object>) doc.getOrDefault("entries", List.of())) {
            Map<String, Object> m = (Map<String, Object>) o;
            PoolKey key = new PoolKey(Cidr.parse((String) m.get("range")), (String) m.get("networkName"),
                    (String) m.get("nodeName"));
            entries.add(new JournalRecord.Entry(key, IpAddress.parse((String) m.get("ip"))));
        }
        return new JournalRecord(new AttachmentId((String) doc.get("containerId"), (String) doc.get("ifName")),
                (String) doc.getOrDefault("podRef", ""), entries);
    }
}
