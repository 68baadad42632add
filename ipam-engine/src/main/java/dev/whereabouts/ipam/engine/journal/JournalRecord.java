package dev.whereabouts.ipam.engine.journal;

import dev.whereabouts.ipam.api.AttachmentId;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.PoolKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What this node knows of one attachment's addresses.
 *
 * @param attachment the CNI attachment
 * @param podRef the pod, or {@code ""}
 * @param entries every pool of the attachment, with the address taken there once it is known
 * @param state where the attachment is in its life
 * @param store how to reach the store again; only a {@link State#RELEASING} record needs it
 */
public record JournalRecord(AttachmentId attachment, String podRef, List<Entry> entries, State state, StoreRef store) {

    /**
     * Why the record exists. Each state is something a later DEL, CNI GC or the daemon's retry loop
     * must still act on, so none of them may be forgotten by a crash.
     */
    public enum State {
        /** An ADD is committing (written before the store commit): its outcome may be unknown. */
        ADDING,
        /** An ADD succeeded: the attachment holds these addresses. */
        HELD,
        /** A DEL succeeded for the runtime but the store could not be reached: release is pending. */
        RELEASING
    }

    /**
     * One pool and the address taken in it.
     *
     * @param ip the address, or {@code null} while the ADD that takes it has not answered
     */
    public record Entry(PoolKey pool, IpAddress ip) {}

    /**
     * The store of a pending release, so that it can be retried without the network configuration.
     *
     * @param datastore the provider name
     * @param section the merged {@code ipam} section the store was opened with
     * @param overlappingRanges whether reservations are released too
     * @param timeout the budget of one retry
     */
    public record StoreRef(String datastore, Map<String, Object> section, boolean overlappingRanges,
            Duration timeout) {

        /** No store: the record of an ADD. */
        public static final StoreRef NONE = new StoreRef("", Map.of(), false, Duration.ZERO);
    }

    /** Copies the list. */
    public JournalRecord {
        entries = List.copyOf(entries);
    }

    /** The record of a successful ADD. */
    public JournalRecord(AttachmentId attachment, String podRef, List<Entry> entries) {
        this(attachment, podRef, entries, State.HELD, StoreRef.NONE);
    }

    /** The same attachment and pools in another state. */
    public JournalRecord with(State next, StoreRef ref) {
        return new JournalRecord(attachment, podRef, entries, next, ref);
    }
}
