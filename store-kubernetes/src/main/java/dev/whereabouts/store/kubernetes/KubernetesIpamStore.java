package dev.whereabouts.store.kubernetes;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolSnapshot;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.spi.CommitOutcome;
import dev.whereabouts.ipam.spi.ContentionLock;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.NodeFacts;
import dev.whereabouts.ipam.spi.NodeRangeSource;
import dev.whereabouts.store.kubernetes.client.KubernetesConnection;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store on upstream's CRDs, with per-pool optimistic concurrency instead of upstream's
 * cluster-wide Lease: a pool write is a PUT carrying the {@code resourceVersion} that was read, so a
 * concurrent writer makes it fail with 409 and the engine reads again.
 *
 * <p>A commit touches several objects, which Kubernetes cannot write atomically; {@link PoolCommits}
 * writes them in an order that never hands an address to two owners.
 */
final class KubernetesIpamStore implements IpamStore, NodeRangeSource, ContentionLock {

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesIpamStore.class);

    private final KubernetesConnection connection;
    private final KubernetesClient client;
    private final String namespace;
    private final NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> pools;
    private final ApiTransport api;
    private final ReservationWriter reservations;
    private final NodeRanges nodeRanges;
    private final PoolTurnLeases turns;
    private final SeenPools seen;
    private final PoolCommits commits;
    /** Whether {@link #awaitNewer} follows pools by a watch ({@code kubernetes.watch_pools}). */
    private final boolean watchPools;

    KubernetesIpamStore(KubernetesConnection connection, boolean watchPools) {
        this.connection = connection;
        this.watchPools = watchPools;
        this.client = connection.client();
        this.namespace = connection.namespace();
        this.pools = client.genericKubernetesResources(Kinds.IP_POOL).inNamespace(namespace);
        this.api = new ApiTransport(client);
        this.reservations = new ReservationWriter(client, namespace, api);
        this.nodeRanges = new NodeRanges(client, namespace);
        this.turns = new PoolTurnLeases(client, api, namespace);
        this.seen = new SeenPools(pools);
        this.commits = new PoolCommits(pools, api, reservations, seen, namespace);
    }

    String namespace() {
        return namespace;
    }

    @Override
    public PoolSnapshot read(PoolKey key) {
        GenericKubernetesResource pool = seen.fetch(key.objectName());
        return pool == null ? PoolSnapshot.absent(key) : snapshot(key, pool);
    }

    @Override
    public Optional<PoolSnapshot> awaitNewer(PoolKey key, PoolVersion seenVersion, Duration maxWait) {
        if (!watchPools) {
            return Optional.empty();
        }
        return seen.awaitNewer(key.objectName(), seenVersion.token(), maxWait).map(pool -> snapshot(key, pool));
    }

    private static PoolSnapshot snapshot(PoolKey key, GenericKubernetesResource pool) {
        return new PoolSnapshot(key, new PoolVersion(pool.getMetadata().getResourceVersion()),
                PoolObjects.allocations(pool, key));
    }

    @Override
    public CommitOutcome commit(PoolKey key, PoolVersion expected, PoolChange change) {
        return commits.commit(key, expected, change);
    }

    @Override
    public Optional<Turn> awaitTurn(PoolKey pool, Duration maxWait) {
        return turns.awaitTurn(pool, maxWait);
    }

    @Override
    public boolean turnTakenElsewhere(PoolKey pool) {
        return turns.turnTakenElsewhere(pool);
    }

    @Override
    public List<PoolKey> pools() {
        List<PoolKey> out = new ArrayList<>();
        for (GenericKubernetesResource pool : ApiErrors.call("list pools", () -> pools.list()).getItems()) {
            poolKey(pool).ifPresentOrElse(out::add,
                    () -> LOG.warn("ignoring pool {}: its name does not match its range", pool.getMetadata().getName()));
        }
        return out;
    }

    /**
     * Splits a pool name into network, node and range. Our annotation names the node; without it a
     * prefix before the range is taken as the network name, which reproduces the object name either way.
     */
    static Optional<PoolKey> poolKey(GenericKubernetesResource pool) {
        String name = pool.getMetadata().getName();
        Object rangeText = PoolObjects.spec(pool).get("range");
        Cidr range;
        try {
            range = Cidr.parse(String.valueOf(rangeText).strip()).canonical();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String bare = PoolKey.of(range, "").objectName();
        if (name.equals(bare)) {
            return Optional.of(PoolKey.of(range, ""));
        }
        if (!name.endsWith("-" + bare)) {
            return Optional.empty();
        }
        String prefix = name.substring(0, name.length() - bare.length() - 1);
        var ann = pool.getMetadata().getAnnotations();
        String node = ann == null ? null : ann.get(Kinds.NODE_ANNOTATION);
        if (node != null && (prefix.equals(node) || prefix.endsWith("-" + node))) {
            String network = prefix.equals(node) ? "" : prefix.substring(0, prefix.length() - node.length() - 1);
            return Optional.of(new PoolKey(range, network, node));
        }
        return Optional.of(PoolKey.of(range, prefix));
    }

    @Override
    public List<Reservation> reservations() {
        var list = ApiErrors.call("list reservations",
                () -> client.genericKubernetesResources(Kinds.RESERVATION).inNamespace(namespace).list());
        List<Reservation> out = new ArrayList<>();
        for (GenericKubernetesResource o : list.getItems()) {
            ReservationObjects.parse(o).ifPresentOrElse(out::add,
                    () -> LOG.warn("ignoring reservation {}: its name is not an address", o.getMetadata().getName()));
        }
        return out;
    }

    @Override
    public boolean removeReservation(Reservation reservation) {
        return reservations.release(reservation);
    }

    @Override
    public void checkAvailable() {
        ApiErrors.call("list pools", () -> pools.list(new ListOptionsBuilder().withLimit(1L).build()));
    }

    @Override
    public Optional<Cidr> nodeSlice(String poolName, String nodeName) {
        return nodeRanges.nodeSlice(poolName, nodeName);
    }

    @Override
    public Optional<NodeFacts> node(String nodeName, String annotation) {
        return nodeRanges.node(nodeName, annotation);
    }

    @Override
    public Optional<String> nodeWithMachineId(String machineId) {
        return nodeRanges.nodeWithMachineId(machineId);
    }

    @Override
    public void close() {
        seen.close();
        turns.close();
        api.close();
        connection.close();
    }
}
