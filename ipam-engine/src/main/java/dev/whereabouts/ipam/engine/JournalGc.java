package dev.whereabouts.ipam.engine;

import dev.whereabouts.ipam.api.AttachmentId;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.engine.alloc.Allocator;
import dev.whereabouts.ipam.engine.alloc.Deadline;
import dev.whereabouts.ipam.engine.alloc.PoolLanes;
import dev.whereabouts.ipam.engine.config.NetworkConfig;
import dev.whereabouts.ipam.engine.journal.AttachmentJournal;
import dev.whereabouts.ipam.engine.journal.JournalRecord;
import dev.whereabouts.ipam.spi.IpamStore;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CNI GC over this node's attachment journal: only what this node handed out is released, because
 * the runtime's list of valid attachments covers this node alone.
 */
final class JournalGc {

    private static final Logger LOG = LoggerFactory.getLogger(JournalGc.class);

    private final StoreLoader stores;
    private final PoolLanes lanes;

    JournalGc(StoreLoader stores, PoolLanes lanes) {
        this.stores = stores;
        this.lanes = lanes;
    }

    /**
     * Releases every journalled attachment of the network that is not valid any more, and every
     * pending release whatever the runtime lists (its DEL already succeeded). A record that cannot
     * be read is released as DEL would release it: in the configured ranges, reservations swept, as
     * its outcome is unknown. Keeps going after errors and reports them at the end.
     */
    void gc(IpamConfig config) {
        NetworkConfig n = config.network();
        IpamStore store = stores.open(n.ipam().datastore(), config.storeConfig());
        Set<AttachmentId> valid = Set.copyOf(n.validAttachments());
        AttachmentJournal journal = new AttachmentJournal(n.ipam().attachmentsDir());
        Allocator allocator = new Allocator(store, n.ipam().overlappingRanges(), lanes);
        Deadline deadline = Deadline.after(n.ipam().releaseBudget());
        List<IpamException> errors = new ArrayList<>();
        AttachmentJournal.Listing listing = journal.listing(n.name());
        for (JournalRecord rec : listing.records()) {
            if (valid.contains(rec.attachment()) && rec.state() != JournalRecord.State.RELEASING) {
                continue;
            }
            Set<PoolKey> pools = new LinkedHashSet<>();
            rec.entries().forEach(e -> pools.add(e.pool()));
            release(store, allocator, journal, n, rec.attachment(), pools, rec.state() != JournalRecord.State.HELD,
                    deadline, errors);
        }
        Set<PoolKey> configured = null;
        for (AttachmentId unreadable : listing.unreadable()) {
            if (valid.contains(unreadable)) {
                continue; // its next DEL releases it the same way
            }
            LOG.warn("GC of network {}: the journal record of {} cannot be read; releasing it in the configured ranges",
                    n.name(), unreadable);
            if (configured == null) {
                configured = Plans.configuredPools(n, ClusterNodes.of(config, store, stores), "GC of network " + n.name());
            }
            release(store, allocator, journal, n, unreadable, configured, true, deadline, errors);
        }
        if (!errors.isEmpty()) {
            throw Cleanup.failure("GC of network " + n.name(), errors);
        }
    }

    private static void release(IpamStore store, Allocator allocator, AttachmentJournal journal, NetworkConfig n,
            AttachmentId attachment, Set<PoolKey> pools, boolean outcomeUnknown, Deadline deadline,
            List<IpamException> errors) {
        List<IpamException> mine = new ArrayList<>();
        Cleanup.releaseEverywhere(allocator, pools, attachment, deadline, mine);
        if (mine.isEmpty() && outcomeUnknown) {
            Cleanup.sweepReservations(store, pools, attachment, mine);
        }
        if (mine.isEmpty()) {
            LOG.info("GC released {} of network {}", attachment, n.name());
            journal.remove(n.name(), attachment);
        }
        errors.addAll(mine);
    }
}
