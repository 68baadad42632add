package dev.whereabouts.ipam.engine.journal;

import dev.whereabouts.ipam.api.AttachmentId;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.PoolKey;
import java.util.List;

/**
 * What one successful ADD took, as remembered on this node.
 *
 * @param attachment the CNI attachment
 * @param podRef the pod, or {@code ""}
 * @param entries every pool and address of the ADD
 */
public record JournalRecord(AttachmentId attachment, String podRef, List<Entry> entries) {

    /** One pool and the address taken in it. */
    public record Entry(PoolKey pool, IpAddress ip) {}

    /** Copies the list. */
    public JournalRecord {
        entries = List.copyOf(entries);
    }
}
