package dev.whereabouts.store.kubernetes;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolVersion;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes back a pool write whose reservations could not all be made. The pool is written before the
 * reservations (see {@link PoolCommits}), so a commit refused on a reservation has already
 * put its entries in the pool; they must go again before the engine decides anew.
 *
 * <p>Other writers may have written the pool since, so the undo is entry by entry: an entry goes
 * back to what it was only while it still is what the change wrote. An entry the change removed is
 * written back only while its address is still free: its reservation is still held (releases come
 * after a successful write), so nobody else can have been answered with it, and if another writer
 * put an entry there meanwhile, that writer's own reservation claim is about to fail and undo it.
 * (A pool's first write claims its reservations before it creates the object, so it never needs this.)
 */
final class PoolRollback {

    private static final Logger LOG = LoggerFactory.getLogger(PoolRollback.class);
    /**
     * Writers of a contended pool each win about one race in N, and an entry left behind blocks an
     * address until the reconciler comes, so the undo keeps going far longer than one write would.
     */
    private static final int ATTEMPTS = 40;

    /**
     * A pool as one commit wrote it.
     *
     * @param before the entries the pool held before, at the addresses the change touched
     */
    record Written(GenericKubernetesResource object, Map<IpAddress, Owner> before) {

        PoolVersion version() {
            return new PoolVersion(object.getMetadata().getResourceVersion());
        }

        /** The entries of {@code pool} (before the change) at the addresses {@code change} touches. */
        static Map<IpAddress, Owner> touched(GenericKubernetesResource pool, PoolKey key, PoolChange change) {
            Map<IpAddress, Owner> all = PoolObjects.allocations(pool, key);
            Map<IpAddress, Owner> out = new HashMap<>();
            change.put().forEach(a -> copy(all, out, a.ip()));
            change.remove().forEach(ip -> copy(all, out, ip));
            return out;
        }

        private static void copy(Map<IpAddress, Owner> from, Map<IpAddress, Owner> to, IpAddress ip) {
            Owner o = from.get(ip);
            if (o != null) {
                to.put(ip, o);
            }
        }
    }

    private final NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> pools;
    private final SeenPools seen;

    PoolRollback(NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> pools, SeenPools seen) {
        this.pools = pools;
        this.seen = seen;
    }

    /**
     * Undoes {@code change} where the pool still shows it. Never throws: what cannot be undone now
     * is an entry that no reservation backs, for an ADD that was never answered, which the
     * reconciler removes once its pod is gone.
     */
    void rollBack(PoolKey key, Written written, PoolChange change) {
        String name = key.objectName();
        GenericKubernetesResource latest = written.object();
        try {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                PoolChange inverse = inverse(PoolObjects.allocations(latest, key), written.before(), change);
                if (inverse.isEmpty()) {
                    return;
                }
                try {
                    seen.saw(pools.resource(PoolObjects.applied(latest, key, inverse)).update());
                    return;
                } catch (KubernetesClientException e) {
                    if (!ApiErrors.conflict(e) && e.getCode() != ApiErrors.NOT_FOUND) {
                        throw e;
                    }
                }
                pauseAfterLosing(attempt);
                latest = pools.withName(name).get();
                if (latest == null) {
                    return; // the pool is gone, and the entries with it
                }
            }
            LOG.warn("pool {} kept moving; entries of a refused commit stay until the reconciler removes them", name);
        } catch (KubernetesClientException e) {
            LOG.warn("could not take back the entries of a refused commit in pool {}; the reconciler removes them: {}",
                    name, e.getMessage());
        }
    }

    /** A short random pause after a lost race, so the undo does not meet the same writers in lockstep. */
    private static void pauseAfterLosing(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 2 + Math.min(attempt, 10) * 2L));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted while taking back entries", e);
        }
    }

    /** The change that turns {@code now} back to {@code before} at the addresses {@code change} touched. */
    static PoolChange inverse(Map<IpAddress, Owner> now, Map<IpAddress, Owner> before, PoolChange change) {
        List<Allocation> put = new ArrayList<>();
        List<IpAddress> remove = new ArrayList<>();
        Set<IpAddress> written = new HashSet<>();
        for (Allocation a : change.put()) {
            written.add(a.ip());
            if (a.owner().equals(now.get(a.ip()))) {
                Owner was = before.get(a.ip());
                if (was == null) {
                    remove.add(a.ip());
                } else {
                    put.add(new Allocation(a.ip(), was));
                }
            }
        }
        for (IpAddress ip : change.remove()) {
            Owner was = before.get(ip);
            if (!written.contains(ip) && was != null && !now.containsKey(ip)) {
                put.add(new Allocation(ip, was));
            }
        }
        return new PoolChange(put, remove, List.of(), List.of());
    }
}
