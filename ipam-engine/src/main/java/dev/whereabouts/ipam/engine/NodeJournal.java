package dev.whereabouts.ipam.engine;

import dev.whereabouts.ipam.api.AttachmentId;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.engine.journal.AttachmentJournal;
import dev.whereabouts.ipam.engine.journal.JournalRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What an operator or the daemon may see of a node's attachment journal ({@code attachments_dir})
 * without the journal's own types: the attachments that still need the store's attention.
 */
public final class NodeJournal {

    /** The state of an {@link Item} whose record cannot be read. */
    public static final String UNREADABLE = "UNREADABLE";

    private final AttachmentJournal journal;

    private NodeJournal(Path attachmentsDir) {
        this.journal = new AttachmentJournal(attachmentsDir);
    }

    /** The journal under {@code attachmentsDir}. */
    public static NodeJournal at(Path attachmentsDir) {
        return new NodeJournal(attachmentsDir);
    }

    /**
     * One attachment that is not simply held.
     *
     * @param network the CNI network name
     * @param attachment container and interface
     * @param podRef the pod, or {@code ""}
     * @param state {@code RELEASING} (a DEL's release waits for the store), {@code ADDING} (an ADD
     *     whose outcome is unknown: DEL or CNI GC reclaims it) or {@code UNREADABLE} (an empty or
     *     damaged record, which a power loss may leave: DEL or CNI GC releases its attachment in the
     *     configured ranges; pools and addresses are unknown)
     * @param pools the pools to release in
     * @param addresses the addresses known to be held (empty while unknown)
     * @param datastore the store a pending release is retried against, or {@code ""}
     */
    public record Item(String network, AttachmentId attachment, String podRef, String state, List<PoolKey> pools,
            List<IpAddress> addresses, String datastore) {}

    /** Every record in state {@code RELEASING} or {@code ADDING}, and every unreadable one, network by network. */
    public List<Item> unsettled() {
        List<Item> out = new ArrayList<>();
        for (String network : journal.networks()) {
            AttachmentJournal.Listing listing = journal.listing(network);
            for (AttachmentId a : listing.unreadable()) {
                out.add(new Item(network, a, "", UNREADABLE, List.of(), List.of(), ""));
            }
            for (JournalRecord r : listing.records()) {
                if (r.state() != JournalRecord.State.HELD) {
                    out.add(new Item(network, r.attachment(), r.podRef(), r.state().name(),
                            r.entries().stream().map(JournalRecord.Entry::pool).distinct().toList(),
                            r.entries().stream().map(JournalRecord.Entry::ip).filter(Objects::nonNull).toList(),
                            r.store().datastore()));
                }
            }
        }
        return out;
    }

    /**
     * Removes the temporary files of writers killed between write and rename, when older than
     * {@code age} (a younger one may be a write in progress).
     *
     * @return how many were removed
     */
    public int sweepLitter(Duration age) {
        return journal.sweepLitter(age);
    }
}
