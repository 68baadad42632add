package dev.whereabouts.store.kubernetes;

import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolTooLargeException;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.spi.CommitOutcome;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A commit of the Kubernetes store across the objects it touches. Kubernetes cannot write them
 * atomically, so a commit goes in an order that never hands an address to two owners: (1) write the
 * pool; (2) create the reservations (a 409 means one exists: the same attachment's is refreshed,
 * anyone else's refuses the commit with {@code ReservationTaken}); (3) delete the released
 * reservations, each only if still held by the same attachment. A refused step 2 deletes the reservations it created and takes the pool entries
 * back ({@link PoolRollback}). The pool goes first because it is the one object every writer of the
 * pool contends for: nodes racing on a pool lose at its conditional write, with one request and
 * nothing to undo, instead of half-claiming the same lowest addresses and deleting them again (a
 * 10-node burst on one pool made 2.1 creates and 0.8 deletes of reservations per ADD that way).
 * Only an address that another range holds (overlapping ranges) still costs an undo. A pool's first
 * write is the exception: it claims first and creates the pool second, so a refused one leaves no
 * object. A crash between steps leaves an entry that no reservation backs for an ADD that was never
 * answered, or an unreleased reservation after a DEL: either blocks one address, never duplicates
 * one. The engine claims such an entry again before it answers a retried ADD from it (and drops it
 * for a fresh address if an overlapping range took the address meanwhile); the runtime's DEL or the
 * reconciler removes what is left.
 */
final class PoolCommits {

    private final NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> pools;
    private final ApiTransport api;
    private final String poolCollection;
    private final ReservationWriter reservations;
    private final SeenPools seen;
    private final PoolRollback rollback;
    private final String namespace;

    PoolCommits(NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> pools, ApiTransport api, ReservationWriter reservations,
            SeenPools seen, String namespace) {
        this.pools = pools;
        this.api = api;
        this.poolCollection = api.collection(Kinds.IP_POOL, namespace);
        this.reservations = reservations;
        this.seen = seen;
        this.rollback = new PoolRollback(pools, seen);
        this.namespace = namespace;
    }

    CommitOutcome commit(PoolKey key, PoolVersion expected, PoolChange change) {
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
        GenericKubernetesResource applied = null;
        GenericKubernetesResource written;
        try {
            if (expected.absent()) {
                current = PoolObjects.newPool(key, namespace);
                applied = PoolObjects.applied(current, key, change);
                written = pools.resource(applied).create();
            } else {
                current = seen.get(name);
                if (current != null && SeenPools.isNewer(current, expected.token())) {
                    return Optional.empty(); // a newer pool was seen already: no need to ask the server
                }
                if (current == null || !expected.token().equals(current.getMetadata().getResourceVersion())) {
                    current = seen.fetch(name);
                }
                if (current == null || !expected.token().equals(current.getMetadata().getResourceVersion())) {
                    return Optional.empty();
                }
                applied = PoolObjects.applied(current, key, change);
                written = api.update(poolCollection, applied);
            }
        } catch (KubernetesClientException e) {
            if (ApiErrors.conflict(e) || e.getCode() == ApiErrors.NOT_FOUND) {
                return Optional.empty(); // what beat us arrives by the watch, or the next read
            }
            if (applied != null && ApiErrors.tooLarge(e)) {
                throw new PoolTooLargeException(("IPPool %s/%s cannot grow to %d allocations: the API server refused it"
                        + " as too large (HTTP %d: %s); give this range node slices (node_slice_size), smaller"
                        + " ranges, or the etcd store").formatted(namespace, name, PoolObjects.size(applied),
                        e.getCode(), e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage()), key);
            }
            throw ApiErrors.unavailable("write pool " + name, e);
        }
        seen.saw(written);
        return Optional.of(new PoolRollback.Written(written, PoolRollback.Written.touched(current, key, change)));
    }

}
