package dev.whereabouts.store.kubernetes;

import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.spi.ContentionLock;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Turns on a contended pool through one {@code coordination.k8s.io/v1} Lease per pool, named
 * {@code whereabouts-turn-<pool>}: taken with a create or an update against the resourceVersion
 * just read (so two nodes cannot both take it), given back by clearing the holder, and valid for
 * its {@code leaseDurationSeconds} ({@link #HOLD}) if a holder dies. Unlike upstream's one Lease
 * for the whole cluster, only writers of one pool wait for each other, and only while that pool is
 * contended.
 *
 * <p>Waiters do not poll: a {@link LeaseView} watches the Lease, and a waiter tries again only when
 * it changed (given back, taken, gone) or its holder's hold ran out, with the version the event
 * carried. So a turn costs the API server one update to take it, one to give it back and one
 * failed update per node that raced for it, instead of a read every few tens of milliseconds per
 * waiting node. Without a live watch, waiters fall back to polling with a jittered pause.
 */
final class PoolTurnLeases implements ContentionLock, AutoCloseable {

    static final Duration HOLD = Duration.ofSeconds(2);
    static final String PREFIX = "whereabouts-turn-";
    private static final ResourceDefinitionContext LEASE = new ResourceDefinitionContext.Builder()
            .withGroup("coordination.k8s.io").withVersion("v1").withKind("Lease").withPlural("leases")
            .withNamespaced(true).build();

    private final NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> leases;
    private final String namespace;
    private final String identity = "whereabouts-" + UUID.randomUUID();
    private final Duration hold;
    /** One view per pool this node has waited for; kept, as a pool contended once tends to be again. */
    private final ConcurrentHashMap<String, LeaseView> views = new ConcurrentHashMap<>();

    PoolTurnLeases(KubernetesClient client, String namespace) {
        this(client, namespace, HOLD);
    }

    /** With {@code hold} as the time this node's turns last if it dies holding one (tests hold longer). */
    PoolTurnLeases(KubernetesClient client, String namespace, Duration hold) {
        this.hold = hold;
        this.leases = client.genericKubernetesResources(LEASE).inNamespace(namespace);
        this.namespace = namespace;
    }

    @Override
    public Optional<Turn> awaitTurn(PoolKey pool, Duration maxWait) {
        String name = PREFIX + pool.objectName();
        long end = System.nanoTime() + maxWait.toNanos();
        try {
            while (System.nanoTime() - end < 0) {
                LeaseView view = view(name);
                long seen = view == null ? 0 : view.changes();
                GenericKubernetesResource known = view == null ? null : view.latest();
                Optional<GenericKubernetesResource> mine = tryTake(name, known, view);
                if (mine.isPresent()) {
                    return Optional.of(() -> giveBack(mine.get()));
                }
                long left = end - System.nanoTime();
                if (view != null && view.live()) {
                    // Until the Lease changes, or its holder's hold runs out without a word.
                    view.awaitChangeAfter(seen, Math.min(left, untilExpiry(view.latest())));
                } else {
                    Thread.sleep(Math.max(0, Math.min(TimeUnit.NANOSECONDS.toMillis(left),
                            ThreadLocalRandom.current().nextLong(20, 60))));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (KubernetesClientException e) {
            return Optional.empty(); // only fairness is lost: the write itself still guards
        }
        return Optional.empty();
    }

    /** The view of {@code name}, opened on first use and again after its watch ended; null when none opens. */
    private LeaseView view(String name) {
        LeaseView view = views.get(name);
        if (view != null && view.live()) {
            return view;
        }
        if (view != null) {
            views.remove(name, view);
            view.close();
        }
        try {
            LeaseView fresh = new LeaseView(leases.withName(name));
            LeaseView raced = views.putIfAbsent(name, fresh);
            if (raced != null) {
                fresh.close();
                return raced;
            }
            return fresh;
        } catch (KubernetesClientException e) {
            return null; // poll instead
        }
    }

    /**
     * Takes the Lease if nobody else holds it. {@code known} is the Lease as the watch last showed
     * it (null: read it); a stale one makes the update fail with 409, and the watch brings the news.
     */
    private Optional<GenericKubernetesResource> tryTake(String name, GenericKubernetesResource known, LeaseView view) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        try {
            GenericKubernetesResource current = known;
            if (current == null) {
                current = leases.withName(name).get();
                if (current != null && view != null) {
                    view.read(current);
                }
            }
            if (current == null) {
                ObjectMeta meta = new ObjectMetaBuilder().withName(name).withNamespace(namespace).build();
                return Optional.of(leases.resource(lease(meta, spec(identity, now))).create());
            }
            if (heldByOther(current, now)) {
                return Optional.empty();
            }
            // A copy: the watch's object stays as seen. Its resourceVersion makes the update conditional.
            ObjectMeta meta = new ObjectMetaBuilder(current.getMetadata()).build();
            return Optional.of(leases.resource(lease(meta, spec(identity, now))).update());
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Nanoseconds until the holder of {@code lease} loses it by not renewing (the whole hold when nobody holds it). */
    private long untilExpiry(GenericKubernetesResource lease) {
        return expiry(lease)
                .map(at -> Math.max(TimeUnit.MILLISECONDS.toNanos(5), Duration.between(Instant.now(), at).toNanos()))
                .orElse(hold.toNanos());
    }

    /** When the holder's hold runs out: its renewTime plus the hold it declared; empty when unreadable or unheld. */
    private Optional<Instant> expiry(GenericKubernetesResource lease) {
        if (lease == null || !(lease.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(String.valueOf(spec.get("renewTime"))).plus(declaredHold(spec)));
        } catch (DateTimeParseException e) {
            return Optional.empty(); // no holder
        }
    }

    @Override
    public void close() {
        views.values().forEach(LeaseView::close);
        views.clear();
    }

    private void giveBack(GenericKubernetesResource held) {
        try {
            held.setAdditionalProperty("spec", spec("", null));
            leases.resource(held).update();
        } catch (KubernetesClientException e) {
            // taken over or gone: the turn is over either way
        }
    }

    private boolean heldByOther(GenericKubernetesResource lease, Instant now) {
        if (!(lease.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec)) {
            return false;
        }
        Object holder = spec.get("holderIdentity");
        if (holder == null || holder.toString().isEmpty() || holder.equals(identity)) {
            return false;
        }
        return expiry(lease).map(at -> at.isAfter(now)).orElse(false);
    }

    /** The hold its holder declared in {@code leaseDurationSeconds}, else ours. */
    private Duration declaredHold(Map<?, ?> spec) {
        return spec.get("leaseDurationSeconds") instanceof Number n && n.longValue() > 0
                ? Duration.ofSeconds(n.longValue()) : hold;
    }

    private static GenericKubernetesResource lease(ObjectMeta meta, Map<String, Object> spec) {
        GenericKubernetesResource lease = new GenericKubernetesResource();
        lease.setApiVersion("coordination.k8s.io/v1");
        lease.setKind("Lease");
        lease.setMetadata(meta);
        lease.setAdditionalProperty("spec", spec);
        return lease;
    }

    private Map<String, Object> spec(String holder, Instant renewTime) {
        Map<String, Object> spec = new HashMap<>();
        spec.put("holderIdentity", holder);
        spec.put("leaseDurationSeconds", hold.toSeconds());
        if (renewTime != null) {
            spec.put("acquireTime", renewTime.toString());
            spec.put("renewTime", renewTime.toString());
        }
        return spec;
    }
}
