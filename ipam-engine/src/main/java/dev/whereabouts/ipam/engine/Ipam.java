package dev.whereabouts.ipam.engine;

import dev.whereabouts.ipam.api.AttachmentId;
import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolSnapshot;
import dev.whereabouts.ipam.api.StoreUnavailableException;
import dev.whereabouts.ipam.engine.alloc.Allocator;
import dev.whereabouts.ipam.engine.alloc.Deadline;
import dev.whereabouts.ipam.engine.alloc.PoolLanes;
import dev.whereabouts.ipam.engine.alloc.RangePlan;
import dev.whereabouts.ipam.engine.config.ConfigLoader;
import dev.whereabouts.ipam.engine.config.NetworkConfig;
import dev.whereabouts.ipam.engine.config.RangeConfig;
import dev.whereabouts.ipam.engine.config.StaticAddress;
import dev.whereabouts.ipam.engine.journal.AttachmentJournal;
import dev.whereabouts.ipam.engine.journal.JournalRecord;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whereabouts engine: one per process, thread-safe. It loads configurations, picks the store
 * named by {@code datastore} and runs ADD, DEL, CHECK, GC and STATUS against it.
 *
 * <pre>{@code
 * try (Ipam ipam = Ipam.withDiscoveredStores()) {
 *     IpamConfig config = ipam.load(stdin, System.getenv("CNI_ARGS"), System.getenv());
 *     CniResult result = ipam.add(config, new Owner(containerId, ifName, config.podRef()));
 *     String json = result.toJson(config.cniVersion());
 * }
 * }</pre>
 *
 * <p>Every failure is an {@link IpamException} carrying its CNI code.
 */
public final class Ipam implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Ipam.class);

    private final StoreLoader stores;
    private final ConfigLoader loader;
    /** Group commit and warm pools, shared by every call this engine serves. */
    private final PoolLanes lanes = new PoolLanes();
    private final Releases releases;
    private final JournalGc journalGc;

    Ipam(List<StoreProvider> providers, ConfigLoader loader) {
        this(StoreProviders.of(providers), loader);
    }

    private Ipam(StoreProviders providers, ConfigLoader loader) {
        this.stores = new StoreLoader(providers);
        this.loader = loader;
        this.releases = new Releases(stores, lanes);
        this.journalGc = new JournalGc(stores, lanes);
    }

    /** An engine with every store provider found by {@link StoreProviders#discovered()} (module path or class path). */
    public static Ipam withDiscoveredStores() {
        return new Ipam(StoreProviders.discovered(), new ConfigLoader());
    }

    /** An engine with exactly these providers. */
    public static Ipam withProviders(List<StoreProvider> providers) {
        return new Ipam(providers, new ConfigLoader());
    }

    /** The names of the providers found, sorted. */
    public List<String> storeNames() {
        return stores.names();
    }

    /**
     * Loads a network configuration.
     *
     * @param stdin the whole network configuration as the runtime passed it
     * @param cniArgs {@code CNI_ARGS}, may be null
     * @param env the environment of the call ({@code NODENAME} is read from it)
     * @throws IpamException code 6 for bad JSON, 7 for an invalid configuration, 1 for an unsupported version
     */
    public IpamConfig load(byte[] stdin, String cniArgs, Map<String, String> env) {
        return new IpamConfig(loader.load(stdin, cniArgs, env));
    }

    /**
     * Allocates one address per range, all or nothing: when a range fails, what earlier ranges took in
     * this call is released before the error is rethrown. An attachment that already holds an address
     * gets the same one back.
     *
     * <p>The journal names the attachment's pools <em>before</em> the store commit: a commit that
     * landed although its answer was lost (code 11) is then still known to DEL, CNI GC and the
     * reconciler, and a retried ADD finds the address it holds.
     */
    public CniResult add(IpamConfig config, Owner owner) {
        NetworkConfig n = config.network();
        AttachmentJournal.validate("CNI_CONTAINERID", owner.containerId());
        AttachmentJournal.validate("CNI_IFNAME", owner.ifName());
        IpamStore store = stores.open(n.ipam().datastore(), config.storeConfig());
        Allocator allocator = new Allocator(store, n.ipam().overlappingRanges(), lanes);
        Deadline deadline = Deadline.after(n.ipam().addBudget());
        AttachmentJournal journal = new AttachmentJournal(n.ipam().attachmentsDir());
        List<Allocator.Taken> taken = new ArrayList<>();
        List<CniResult.Ip> ips = new ArrayList<>();
        ClusterNodes nodes = ClusterNodes.of(config, store, stores);
        List<RangeConfig> ranges = Plans.forPod(n, Plans.ranges(n, nodes));
        List<RangePlan> plans = ranges.stream().map(r -> Plans.plan(n, r, nodes)).toList();
        Optional<JournalRecord> before = plans.isEmpty() ? Optional.empty() : intent(journal, n.name(), owner, plans);
        try {
            for (int i = 0; i < plans.size(); i++) {
                Allocator.Taken t = allocator.allocate(plans.get(i), owner, deadline);
                taken.add(t);
                ips.add(new CniResult.Ip(new Cidr(t.ip(), ranges.get(i).range().prefix()), ranges.get(i).gateway()));
            }
            if (!taken.isEmpty()) {
                journal.settle(n.name(), new JournalRecord(owner.attachment(), owner.podRef(),
                        taken.stream().map(t -> new JournalRecord.Entry(t.key(), t.ip())).toList()));
            }
        } catch (RuntimeException e) {
            boolean clean = rollback(allocator, taken, owner, n);
            if (clean && !(e instanceof IpamException i && i.code() == IpamException.TRY_AGAIN_LATER)) {
                // the outcome is known and undone: the journal goes back to what it was
                before.ifPresentOrElse(r -> journal.write(n.name(), r), () -> journal.forgetIntent(n.name(), owner.attachment()));
            }
            throw e;
        }
        for (StaticAddress s : n.ipam().addresses()) {
            ips.add(new CniResult.Ip(s.address(), s.gateway()));
        }
        return new CniResult(ips, n.ipam().routes(), n.ipam().dns());
    }

    /** Writes the ADD's intent (its pools, addresses unknown) over any earlier record, which it returns. */
    private static Optional<JournalRecord> intent(AttachmentJournal journal, String network, Owner owner,
            List<RangePlan> plans) {
        Optional<JournalRecord> before = journal.read(network, owner.attachment());
        List<JournalRecord.Entry> entries = new ArrayList<>(before.map(JournalRecord::entries).orElse(List.of()));
        for (RangePlan p : plans) {
            if (entries.stream().noneMatch(e -> e.pool().equals(p.key()))) {
                entries.add(new JournalRecord.Entry(p.key(), null));
            }
        }
        JournalRecord adding = new JournalRecord(owner.attachment(), owner.podRef(), entries,
                JournalRecord.State.ADDING, JournalRecord.StoreRef.NONE);
        if (before.isEmpty()) {
            journal.create(network, adding);
        } else {
            journal.write(network, adding);
        }
        return before;
    }

    /** Releases what this call took; false when some release failed (the address may still be held). */
    private static boolean rollback(Allocator allocator, List<Allocator.Taken> taken, Owner owner, NetworkConfig n) {
        Deadline deadline = Deadline.after(n.ipam().releaseBudget());
        boolean clean = true;
        for (Allocator.Taken t : taken) {
            if (!t.fresh()) {
                continue;
            }
            try {
                allocator.releaseIp(t.key(), t.ip(), owner, deadline);
            } catch (RuntimeException e) {
                clean = false;
                LOG.error("rollback of {} in pool {} failed; DEL or GC will release it", t.ip(), t.key(), e);
            }
        }
        return clean;
    }

    /**
     * Releases what the attachment holds in every range (and every pool its journal record names),
     * then forgets the record. Releasing nothing is a success.
     *
     * @throws StoreUnavailableException when the store failed for some pool; the rest were still tried
     */
    public void del(IpamConfig config, AttachmentId attachment) {
        releases.del(config, attachment);
    }

    /**
     * DEL that never fails on the store: what the store could not take is recorded in the node
     * journal as a pending release, retried by {@link #retryPendingReleases}, the next call that
     * does so, or CNI GC.
     */
    public Release release(IpamConfig config, AttachmentId attachment) {
        return releases.release(config, attachment);
    }

    /**
     * Retries every pending release journalled under {@code attachmentsDir}.
     *
     * @return how many are still pending (their store still fails)
     */
    public int retryPendingReleases(Path attachmentsDir) {
        return releases.retryPending(attachmentsDir);
    }

    /**
     * Checks that the attachment holds an address in every range.
     *
     * @throws IpamException code 999 naming the first range without one
     */
    public void check(IpamConfig config, Owner owner) {
        NetworkConfig n = config.network();
        IpamStore store = stores.open(n.ipam().datastore(), config.storeConfig());
        ClusterNodes nodes = ClusterNodes.of(config, store, stores);
        for (RangeConfig r : Plans.forPod(n, Plans.ranges(n, nodes))) {
            RangePlan plan = Plans.plan(n, r, nodes);
            PoolSnapshot snapshot = store.read(plan.key());
            boolean held = snapshot.allocations().values().stream()
                    .anyMatch(o -> o.sameAttachment(owner) || owner.attachment().owns(o));
            if (!held) {
                throw new IpamException(IpamException.INTERNAL, "CHECK failed: " + owner.attachment()
                        + " holds no address in range " + r.range(), "pool " + plan.key());
            }
        }
    }

    /**
     * CNI GC: releases everything this node's journal recorded for attachments of this network that
     * are not in {@link IpamConfig#validAttachments()}, and every pending release. Keeps going after
     * errors and reports them at the end.
     */
    public void gc(IpamConfig config) {
        journalGc.gc(config);
    }

    /**
     * CNI STATUS: whether the store could serve an ADD now.
     *
     * @throws IpamException code 50 when it could not
     */
    public void status(IpamConfig config) {
        try {
            stores.open(config.datastore(), config.storeConfig()).checkAvailable();
        } catch (IpamException e) {
            if (e.code() != IpamException.TRY_AGAIN_LATER) {
                throw e;
            }
            throw new IpamException(IpamException.PLUGIN_NOT_AVAILABLE, "plugin not available",
                    "datastore '" + config.datastore() + "': " + e.getMessage() + " " + e.details(), e);
        }
    }

    /** Registers the allocator's counters and pool gauges (docs/operations.md#metrics) in {@code registry}, once. */
    public void registerMetrics(dev.whereabouts.metrics.MetricRegistry registry) {
        lanes.registerMetrics(registry);
    }

    /** Closes every store this engine opened. */
    @Override
    public void close() {
        stores.close();
    }
}
