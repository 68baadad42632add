package dev.whereabouts.ipam.engine;

import dev.whereabouts.ipam.api.AttachmentId;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.engine.alloc.Allocator;
import dev.whereabouts.ipam.engine.alloc.Deadline;
import dev.whereabouts.ipam.engine.alloc.PoolLanes;
import dev.whereabouts.ipam.engine.config.NetworkConfig;
import dev.whereabouts.ipam.engine.config.RangeConfig;
import dev.whereabouts.ipam.engine.journal.AttachmentJournal;
import dev.whereabouts.ipam.engine.journal.JournalRecord;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DEL, pending releases and CNI GC: everything that gives addresses back. The node journal is the
 * memory of what still has to be given back, so that neither a store outage nor a crash forgets it.
 */
final class Releases {

    private static final Logger LOG = LoggerFactory.getLogger(Releases.class);
    /** Pending releases retried at once: a group-commit batch's worth (PoolLane's bound). */
    private static final int RETRIES_AT_ONCE = 32;

    private final StoreLoader stores;
    private final PoolLanes lanes;

    Releases(StoreLoader stores, PoolLanes lanes) {
        this.stores = stores;
        this.lanes = lanes;
    }

    /** DEL: releases in every pool the attachment may hold; throws when the store failed for some pool. */
    void del(IpamConfig config, AttachmentId attachment) {
        Set<PoolKey> pools = new LinkedHashSet<>();
        List<IpamException> errors = tryDel(config, attachment, pools);
        if (!errors.isEmpty()) {
            throw Cleanup.failure("DEL " + attachment, errors);
        }
    }

    /** DEL that queues what the store could not take instead of failing. */
    Release release(IpamConfig config, AttachmentId attachment) {
        NetworkConfig n = config.network();
        StoreConfig storeConfig = config.storeConfig();
        Set<PoolKey> pools = new LinkedHashSet<>();
        List<IpamException> errors;
        try {
            errors = tryDel(config, attachment, pools);
        } catch (IpamException e) {
            errors = List.of(e); // the store could not even be opened: remember what is known without it
            knownWithoutStore(n, attachment, pools);
        }
        if (errors.isEmpty()) {
            return new Release.Done();
        }
        IpamException cause = Cleanup.failure("DEL " + attachment, errors);
        AttachmentJournal journal = new AttachmentJournal(n.ipam().attachmentsDir());
        List<JournalRecord.Entry> entries = pools.stream().map(p -> new JournalRecord.Entry(p, null)).toList();
        var ref = new JournalRecord.StoreRef(n.ipam().datastore(), storeConfig.section(),
                n.ipam().overlappingRanges(), n.ipam().releaseBudget());
        try {
            String podRef = journal.read(n.name(), attachment).map(JournalRecord::podRef).orElse("");
            journal.write(n.name(), new JournalRecord(attachment, podRef, entries, JournalRecord.State.RELEASING, ref));
        } catch (IpamException e) {
            return new Release.Unrecorded(cause, e); // DEL still must not block the runtime
        }
        return new Release.Queued(cause);
    }

    private static void knownWithoutStore(NetworkConfig n, AttachmentId attachment, Set<PoolKey> pools) {
        if (n.ipam().nodeRanges().isEmpty()) {
            for (RangeConfig r : n.ipam().ranges()) {
                try {
                    pools.add(Plans.plan(n, r, null).key());
                } catch (RuntimeException e) {
                    // a node slice needs the store; the journal names the slice if this node took one
                }
            }
        }
        try {
            new AttachmentJournal(n.ipam().attachmentsDir()).read(n.name(), attachment)
                    .ifPresent(rec -> rec.entries().forEach(e -> pools.add(e.pool())));
        } catch (IpamException e) {
            LOG.warn("DEL {}: journal record unreadable: {}", attachment, e.getMessage());
        }
    }

    private List<IpamException> tryDel(IpamConfig config, AttachmentId attachment, Set<PoolKey> pools) {
        NetworkConfig n = config.network();
        IpamStore store = stores.open(n.ipam().datastore(), config.storeConfig());
        ClusterNodes nodes = ClusterNodes.of(config, store, stores);
        AttachmentJournal journal = new AttachmentJournal(n.ipam().attachmentsDir());
        List<IpamException> errors = new ArrayList<>();
        pools.addAll(Plans.configuredPools(n, nodes, "DEL " + attachment));
        boolean outcomeUnknown = false;
        try {
            Optional<JournalRecord> rec = journal.read(n.name(), attachment);
            rec.ifPresent(r -> r.entries().forEach(e -> pools.add(e.pool())));
            outcomeUnknown = rec.map(r -> r.state() != JournalRecord.State.HELD).orElse(false);
        } catch (IpamException e) {
            LOG.warn("DEL {}: journal record unreadable, releasing in the configured ranges only: {}", attachment,
                    e.getMessage());
        }
        Cleanup.releaseEverywhere(new Allocator(store, n.ipam().overlappingRanges(), lanes), pools, attachment,
                Deadline.after(n.ipam().releaseBudget()), errors);
        if (outcomeUnknown && errors.isEmpty()) {
            Cleanup.sweepReservations(store, pools, attachment, errors);
        }
        if (errors.isEmpty()) {
            journal.remove(n.name(), attachment);
        }
        return errors;
    }

    /**
     * Retries every pending release under {@code attachmentsDir}, each with the store and budget it
     * was queued with.
     *
     * @return how many are still pending
     */
    int retryPending(Path attachmentsDir) {
        AttachmentJournal journal = new AttachmentJournal(attachmentsDir);
        Map<JournalRecord.StoreRef, List<Pending>> byStore = new LinkedHashMap<>();
        for (String network : journal.networks()) {
            for (JournalRecord rec : journal.list(network)) {
                if (rec.state() == JournalRecord.State.RELEASING) {
                    byStore.computeIfAbsent(rec.store(), s -> new ArrayList<>()).add(new Pending(network, rec));
                }
            }
        }
        int left = 0;
        for (List<Pending> queued : byStore.values()) {
            // The first one tells whether the store is back: while it is down, the others wait for
            // the next pass, so a pass over hundreds of queued releases stays short.
            Pending first = queued.getFirst();
            if (!retry(journal, first.network(), first.rec())) {
                left += queued.size();
                continue;
            }
            // The rest at once: the pool lanes merge them into a few writes, so the releases an
            // outage queued land about as fast as one, instead of one write each.
            left += together(queued.subList(1, queued.size()), p -> retry(journal, p.network(), p.rec()));
        }
        return left;
    }

    /** A pending release and the network whose journal holds it. */
    private record Pending(String network, JournalRecord rec) {}

    /** Runs {@code retry} on each, {@link #RETRIES_AT_ONCE} at a time; returns how many failed. */
    private static int together(List<Pending> pending, Predicate<Pending> retry) {
        Semaphore slots = new Semaphore(RETRIES_AT_ONCE);
        AtomicInteger failed = new AtomicInteger();
        try (ExecutorService each = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Pending p : pending) {
                slots.acquireUninterruptibly();
                each.execute(() -> {
                    try {
                        if (!retry.test(p)) {
                            failed.incrementAndGet();
                        }
                    } catch (RuntimeException e) {
                        LOG.warn("retrying the pending release of {} failed: {}", p.rec().attachment(), e.toString());
                        failed.incrementAndGet();
                    } finally {
                        slots.release();
                    }
                });
            }
        }
        return failed.get();
    }

    private boolean retry(AttachmentJournal journal, String network, JournalRecord rec) {
        JournalRecord.StoreRef ref = rec.store();
        List<IpamException> errors = new ArrayList<>();
        try {
            IpamStore store = stores.open(ref.datastore(), new StoreConfig(ref.section()));
            Set<PoolKey> pools = new LinkedHashSet<>();
            rec.entries().forEach(e -> pools.add(e.pool()));
            Cleanup.releaseEverywhere(new Allocator(store, ref.overlappingRanges(), lanes), pools, rec.attachment(),
                    Deadline.after(ref.timeout()), errors);
            if (errors.isEmpty()) {
                Cleanup.sweepReservations(store, pools, rec.attachment(), errors);
            }
        } catch (IpamException e) {
            errors.add(e);
        }
        if (!errors.isEmpty()) {
            LOG.debug("pending release of {} in network {} still fails: {}", rec.attachment(), network,
                    errors.getFirst().getMessage());
            return false;
        }
        // A new ADD of the same attachment may have replaced the record meanwhile: keep that one.
        Optional<JournalRecord> now = journal.read(network, rec.attachment());
        if (now.isPresent() && now.get().state() == JournalRecord.State.RELEASING) {
            journal.remove(network, rec.attachment());
        }
        LOG.info("pending release of {} in network {} done", rec.attachment(), network);
        return true;
    }
}
