package dev.whereabouts.ipam.engine;

import dev.whereabouts.ipam.api.AttachmentId;
import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolKey;
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
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    Ipam(List<StoreProvider> providers, ConfigLoader loader) {
        this(StoreProviders.of(providers), loader);
    }

    private Ipam(StoreProviders providers, ConfigLoader loader) {
        this.stores = new StoreLoader(providers);
        this.loader = loader;
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
     */
    public CniResult add(IpamConfig config, Owner owner) {
        NetworkConfig n = config.network();
        AttachmentJournal.validate("CNI_CONTAINERID", owner.containerId());
        AttachmentJournal.validate("CNI_IFNAME", owner.ifName());
        IpamStore store = stores.open(n.ipam().datastore(), config.storeConfig());
        Allocator allocator = new Allocator(store, n.ipam().overlappingRanges(), lanes);
        Deadline deadline = Deadline.after(n.ipam().storeTimeout());
        List<Allocator.Taken> taken = new ArrayList<>();
        List<CniResult.Ip> ips = new ArrayList<>();
        ClusterNodes nodes = ClusterNodes.of(config, store, stores);
        try {
            for (RangeConfig r : Plans.forPod(n, Plans.ranges(n, nodes))) {
                Allocator.Taken t = allocator.allocate(Plans.plan(n, r, nodes), owner, deadline);
                taken.add(t);
                ips.add(new CniResult.Ip(new Cidr(t.ip(), r.range().prefix()), r.gateway()));
            }
            if (!taken.isEmpty()) {
                new AttachmentJournal(n.ipam().attachmentsDir()).write(n.name(), new JournalRecord(owner.attachment(),
                        owner.podRef(), taken.stream().map(t -> new JournalRecord.Entry(t.key(), t.ip())).toList()));
            }
        } catch (RuntimeException e) {
            rollback(allocator, taken, owner, n);
            throw e;
        }
        for (StaticAddress s : n.ipam().addresses()) {
            ips.add(new CniResult.Ip(s.address(), s.gateway()));
        }
        return new CniResult(ips, n.ipam().routes(), n.ipam().dns());
    }

    private static void rollback(Allocator allocator, List<Allocator.Taken> taken, Owner owner, NetworkConfig n) {
        Deadline deadline = Deadline.after(n.ipam().storeTimeout());
        for (Allocator.Taken t : taken) {
            if (!t.fresh()) {
                continue;
            }
            try {
                allocator.releaseIp(t.key(), t.ip(), owner, deadline);
            } catch (RuntimeException e) {
                LOG.error("rollback of {} in pool {} failed; DEL or GC will release it", t.ip(), t.key(), e);
            }
        }
    }

    /**
     * Releases what the attachment holds in every range (and every pool its journal record names),
     * then forgets the record. Releasing nothing is a success.
     *
     * @throws StoreUnavailableException when the store failed for some pool; the rest were still tried
     */
    public void del(IpamConfig config, AttachmentId attachment) {
        NetworkConfig n = config.network();
        IpamStore store = stores.open(n.ipam().datastore(), config.storeConfig());
        AttachmentJournal journal = new AttachmentJournal(n.ipam().attachmentsDir());
        Set<PoolKey> pools = new LinkedHashSet<>();
        List<IpamException> errors = new ArrayList<>();
        List<RangeConfig> ranges = List.of();
        ClusterNodes nodes = ClusterNodes.of(config, store, stores);
        try {
            ranges = Plans.ranges(n, nodes);
        } catch (IpamException e) {
            LOG.warn("DEL {}: the node's ranges are unknown, releasing in the journalled pools only: {}", attachment,
                    e.getMessage());
        }
        for (RangeConfig r : ranges) {
            try {
                pools.add(Plans.plan(n, r, nodes).key());
            } catch (IpamException e) {
                LOG.warn("DEL {}: no pool for range {}: {}", attachment, r.range(), e.getMessage());
            }
        }
        try {
            journal.read(n.name(), attachment).ifPresent(rec -> rec.entries().forEach(e -> pools.add(e.pool())));
        } catch (IpamException e) {
            LOG.warn("DEL {}: journal record unreadable, releasing in the configured ranges only: {}", attachment,
                    e.getMessage());
        }
        Cleanup.releaseEverywhere(new Allocator(store, n.ipam().overlappingRanges(), lanes), pools, attachment,
                Deadline.after(n.ipam().storeTimeout()), errors);
        if (errors.isEmpty()) {
            journal.remove(n.name(), attachment);
            return;
        }
        throw Cleanup.failure("DEL " + attachment, errors);
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
     * are not in {@link IpamConfig#validAttachments()}. Keeps going after errors and reports them at
     * the end.
     */
    public void gc(IpamConfig config) {
        NetworkConfig n = config.network();
        IpamStore store = stores.open(n.ipam().datastore(), config.storeConfig());
        Set<AttachmentId> valid = Set.copyOf(n.validAttachments());
        AttachmentJournal journal = new AttachmentJournal(n.ipam().attachmentsDir());
        Allocator allocator = new Allocator(store, n.ipam().overlappingRanges(), lanes);
        Deadline deadline = Deadline.after(n.ipam().storeTimeout());
        List<IpamException> errors = new ArrayList<>();
        for (JournalRecord rec : journal.list(n.name())) {
            if (valid.contains(rec.attachment())) {
                continue;
            }
            List<IpamException> mine = new ArrayList<>();
            Set<PoolKey> pools = new LinkedHashSet<>();
            rec.entries().forEach(e -> pools.add(e.pool()));
            Cleanup.releaseEverywhere(allocator, pools, rec.attachment(), deadline, mine);
            if (mine.isEmpty()) {
                LOG.info("GC released {} of network {}", rec.attachment(), n.name());
                journal.remove(n.name(), rec.attachment());
            }
            errors.addAll(mine);
        }
        if (!errors.isEmpty()) {
            throw Cleanup.failure("GC of network " + n.name(), errors);
        }
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
