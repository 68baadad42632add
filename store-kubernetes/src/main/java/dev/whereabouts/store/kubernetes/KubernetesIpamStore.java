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
import io.fabric8.kubernetes.client.KubernetesClientException;
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
 * <p>A commit touches several objects, which Kubernetes cannot write atomically, so it goes in an
 * order that never hands an address to two owners: (1) write the pool; (2) create the reservations
 * (a 409 means one exists: the same attachment's is refreshed, anyone else's refuses the commit with
 * {@code ReservationTaken}); (3) delete the released reservations, each only if still held by the
 * same attachment. A refused step 2 deletes the reservations it created and takes the pool entries
 * back ({@link PoolRollback}). The pool goes first because it is the one object every writer of the
 * pool contends for: nodes racing on a pool lose at its conditional write, with one request and
 * nothing to undo, instead of half-claiming the same lowest addresses and deleting them again (a
 * 10-node burst on one pool made 2.1 creates and 0.8 deletes of reservations per ADD that way).
 * Only an address that another range holds (overlapping ranges) still costs an undo. A pool's first
 * write is the exception: it claims first and creates the pool second, so a refused one leaves no
 * object. A crash between steps leaves an entry that no reservation backs for an ADD that was never
 * answered, or an unreleased reservation after a DEL: either blocks one address, never duplicates
 * one, and the reconciler removes it.
 */
final class KubernetesIpamStore implements IpamStore, NodeRangeSource, ContentionLock {

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesIpamStore.class);

    private final KubernetesConnection connection;
    private final KubernetesClient client;
    private final String namespace;
    private final NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> pools;
    private final ReservationWriter reservations;
    private final NodeRanges nodeRanges;
    private final PoolTurnLeases turns;
    private final SeenPools seen;
    private final PoolRollback rollback;
    /** Whether {@link #awaitNewer} follows pools by a watch ({@code kubernetes.watch_pools}). */
    private final boolean watchPools;

    KubernetesIpamStore(KubernetesConnection connection, boolean watchPools) {
        this.connection = connection;
        this.watchPools = watchPools;
        this.client = connection.client();
        this.namespace = connection.namespace();
        this.pools = client.genericKubernetesResources(Kinds.IP_POOL).inNamespace(namespace);
        this.reservations = new ReservationWriter(client.genericKubernetesResources(Kinds.RESERVATION), namespace);
        this.nodeRanges = new NodeRanges(client, namespace);
        this.turns = new PoolTurnLeases(client, namespace);
        this.seen = new SeenPools(pools);
        this.rollback = new PoolRollback(pools, seen);
    }

    String namespace() {
        return namespace;
    }

    @Override
    public PoolSnapshot read(PoolKey key) {
        GenericKubernetesResource pool = fetch(key.objectName());
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
        if (expected.absent()) {
            return create(key, change);
        }
        Optional<PoolRollback.Written> written = writePool(key, expected, change);
        if (written.isEmpty()) {
            return new CommitOutcome.Conflict();
        }
        Claimed claimed;
        try {
            claimed = claimReservations(change);
        } catch (RuntimeException e) {
            rollback.rollBack(key, written.get(), change);
            throw e;
        }
        if (claimed.refused() != null) {
            rollback.rollBack(key, written.get(), change);
            return claimed.refused();
        }
        reservations.releaseAll(change.unreserve());
        return new CommitOutcome.Committed(written.get().version());
    }

    /**
     * The first write of a pool claims its reservations before it creates the object, so that a
     * refused first write leaves no pool behind without having to delete one (a delete that another
     * writer's entries could meet); a lost create undoes the claims.
     */
    private CommitOutcome create(PoolKey key, PoolChange change) {
        Claimed claimed = claimReservations(change);
        if (claimed.refused() != null) {
            return claimed.refused();
        }
        Optional<PoolRollback.Written> written;
        try {
            written = writePool(key, PoolVersion.ABSENT, change);
        } catch (RuntimeException e) {
            claimed.undo(reservations);
            throw e;
        }
        if (written.isEmpty()) {
            claimed.undo(reservations);
            return new CommitOutcome.Conflict();
        }
        reservations.releaseAll(change.unreserve());
        return new CommitOutcome.Committed(written.get().version());
    }

    /** The reservations a commit created, or why it may not go on (with none of them left). */
    private record Claimed(List<ReservationWriter.Claim.Created> created, CommitOutcome refused) {
        void undo(ReservationWriter reservations) {
            created.forEach(reservations::undo);
        }
    }

    private Claimed claimReservations(PoolChange change) {
        List<ReservationWriter.Claim.Created> created = new ArrayList<>();
        CommitOutcome refused = null;
        for (ReservationWriter.Claim claim : reservations.claimAll(change.reserve())) {
            switch (claim) {
                case ReservationWriter.Claim.Taken taken ->
                        refused = refused != null ? refused : new CommitOutcome.ReservationTaken(taken.holder());
                case ReservationWriter.Claim.Contended contended ->
                        refused = refused != null ? refused : new CommitOutcome.Conflict();
                case ReservationWriter.Claim.Created c -> created.add(c);
                case ReservationWriter.Claim.Held held -> { }
            }
        }
        if (refused != null) {
            created.forEach(reservations::undo);
            return new Claimed(List.of(), refused);
        }
        return new Claimed(created, null);
    }

    /** The pool as written, or empty when it is no longer at {@code expected}. */
    private Optional<PoolRollback.Written> writePool(PoolKey key, PoolVersion expected, PoolChange change) {
        String name = key.objectName();
        GenericKubernetesResource current;
        GenericKubernetesResource written;
        try {
            if (expected.absent()) {
                current = PoolObjects.newPool(key, namespace);
                written = pools.resource(PoolObjects.applied(current, key, change)).create();
            } else {
                current = seen.get(name);
                if (current != null && SeenPools.isNewer(current, expected.token())) {
                    return Optional.empty(); // a newer pool was seen already: no need to ask the server
                }
                if (current == null || !expected.token().equals(current.getMetadata().getResourceVersion())) {
                    current = fetch(name);
                }
                if (current == null || !expected.token().equals(current.getMetadata().getResourceVersion())) {
                    return Optional.empty();
                }
                written = pools.resource(PoolObjects.applied(current, key, change)).update();
            }
        } catch (KubernetesClientException e) {
            if (ApiErrors.conflict(e) || e.getCode() == ApiErrors.NOT_FOUND) {
                return Optional.empty(); // what beat us arrives by the watch, or the next read
            }
            throw ApiErrors.unavailable("write pool " + name, e);
        }
        seen.saw(written);
        return Optional.of(new PoolRollback.Written(written, PoolRollback.Written.touched(current, key, change)));
    }

    private GenericKubernetesResource fetch(String name) {
        GenericKubernetesResource pool = ApiErrors.call("get pool " + name, () -> pools.withName(name).get());
        if (pool == null) {
            seen.forget(name);
        } else {
            seen.saw(pool);
        }
        return pool;
    }

    @Override
    public Optional<Turn> awaitTurn(PoolKey pool, Duration maxWait) {
        return turns.awaitTurn(pool, maxWait);
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
        connection.close();
    }
}
