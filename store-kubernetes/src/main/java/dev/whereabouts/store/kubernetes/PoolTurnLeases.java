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
import java.time.temporal.ChronoUnit;
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
 *
 * <p>Whoever hears of a given-back Lease first takes it, and the order in which an API server
 * delivers one event to its watchers is not random: in a burst on one pool, the node that hears last
 * lost nearly every race (one node's p99 was 16 s while the median was 0.3 s). So a waiter that has
 * waited longer than its patience ({@link #PATIENCE}) claims the next turn in the Lease's
 * {@value TurnClaim#ANNOTATION} annotation, a conditional update that only one waiter wins while a claim is
 * fresh. The holder hands its turn straight to a fresh claimant when it is done: one update names the
 * claimant as holder and clears the claim, the claimant learns of it from its view without writing,
 * and nobody else races for a free Lease (in an 8-node burst on one pool, a turn cost 4.6 Lease
 * updates, 1.9 of them lost races). Only waiters out of patience write a claim, so a calm pool costs
 * nothing extra; a claimant that dies holds up the pool for one {@link #hold}, as a holder would.
 */
final class PoolTurnLeases implements ContentionLock, AutoCloseable {

    static final Duration HOLD = Duration.ofSeconds(2);
    /** How long a node waits for a contended pool before it claims the next turn. */
    static final Duration PATIENCE = Duration.ofSeconds(1);
    static final String PREFIX = "whereabouts-turn-";
    private static final ResourceDefinitionContext LEASE = new ResourceDefinitionContext.Builder()
            .withGroup("coordination.k8s.io").withVersion("v1").withKind("Lease").withPlural("leases")
            .withNamespaced(true).build();

    private final NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> leases;
    private final ApiTransport api;
    private final String leaseCollection;
    private final String namespace;
    private final String identity = "whereabouts-" + UUID.randomUUID();
    private final Duration hold;
    private final Duration patience;
    private final LeaseViews views;
    /**
     * When this node last gave each pool's turn back. Its own turns were renewed before that, so a
     * Lease that names it as holder with a later renewTime was handed to it, and one renewed earlier
     * is a view that has not caught up yet.
     */
    private final Map<String, Instant> gaveBack = new ConcurrentHashMap<>();

    PoolTurnLeases(KubernetesClient client, ApiTransport api, String namespace) {
        this(client, api, namespace, HOLD, PATIENCE);
    }

    /**
     * With {@code hold} as the time this node's turns (and claims) last if it dies holding one, and
     * {@code patience} as its wait before it claims the next turn (tests hold longer).
     */
    PoolTurnLeases(KubernetesClient client, ApiTransport api, String namespace, Duration hold, Duration patience) {
        this.api = api;
        this.leaseCollection = api.collection(LEASE, namespace);
        this.hold = hold;
        this.patience = patience;
        this.leases = client.genericKubernetesResources(LEASE).inNamespace(namespace);
        this.namespace = namespace;
        this.views = new LeaseViews(leases);
    }

    @Override
    public Optional<Turn> awaitTurn(PoolKey pool, Duration maxWait) {
        String name = PREFIX + pool.objectName();
        long start = System.nanoTime();
        long end = start + maxWait.toNanos();
        try {
            while (System.nanoTime() - end < 0) {
                LeaseView view = views.open(name);
                long seen = view == null ? 0 : view.changes();
                GenericKubernetesResource known = view == null ? null : view.latest();
                boolean outOfPatience = System.nanoTime() - start >= patience.toNanos();
                Optional<GenericKubernetesResource> mine = tryTake(name, known, view, outOfPatience);
                if (mine.isPresent()) {
                    return Optional.of(() -> giveBack(name, mine.get()));
                }
                long left = end - System.nanoTime();
                if (view != null && view.live()) {
                    // Until the Lease changes, its holder's hold or a claim runs out without a word,
                    // or this node runs out of patience and claims.
                    GenericKubernetesResource latest = view.latest();
                    long wait = Math.min(left, Math.min(nanosUntil(expiry(latest)),
                            nanosUntil(TurnClaim.of(latest).map(TurnClaim::until))));
                    if (!outOfPatience) {
                        wait = Math.min(wait, Math.max(0, start + patience.toNanos() - System.nanoTime()));
                    }
                    view.awaitChangeAfter(seen, wait);
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

    /**
     * From the view of the pool's Lease: whether another node holds it, or claimed the next turn. The
     * first call for a pool opens the view in the background and answers false, so a node watches the
     * turn Lease of each pool it writes (one object by name), and its first write is not delayed.
     */
    @Override
    public boolean turnTakenElsewhere(PoolKey pool) {
        GenericKubernetesResource latest = views.ifLive(PREFIX + pool.objectName()).map(LeaseView::latest).orElse(null);
        if (latest == null) {
            return false;
        }
        Instant now = Instant.now();
        return heldByOther(latest, now) || TurnClaim.claimant(latest, now).filter(c -> !c.equals(identity)).isPresent();
    }

    /**
     * Takes the Lease if nobody else holds it and nobody else claimed it; claims it when it is held
     * and {@code outOfPatience}. {@code known} is the Lease as the watch last showed it (null: read
     * it); a stale one makes the update fail with 409, and the watch brings the news.
     */
    private Optional<GenericKubernetesResource> tryTake(String name, GenericKubernetesResource known, LeaseView view,
            boolean outOfPatience) {
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
                return Optional.of(leases.resource(TurnLeaseObjects.lease(meta, spec(identity, now))).create());
            }
            if (handedToMe(name, current, now)) {
                return Optional.of(current);
            }
            Optional<String> claimant = TurnClaim.claimant(current, now);
            if (heldByOther(current, now)) {
                if (outOfPatience && claimant.isEmpty()) {
                    // A copy: the watch's object stays as seen. Its resourceVersion makes the update conditional.
                    ObjectMeta meta = new ObjectMetaBuilder(current.getMetadata())
                            .addToAnnotations(TurnClaim.ANNOTATION, new TurnClaim(identity, now.plus(hold)).text())
                            .build();
                    api.update(leaseCollection, TurnLeaseObjects.lease(meta, TurnLeaseObjects.specOf(current)));
                }
                return Optional.empty();
            }
            if (claimant.isPresent() && !claimant.get().equals(identity)) {
                return Optional.empty(); // that node waited longest: its turn
            }
            ObjectMeta meta = new ObjectMetaBuilder(current.getMetadata()).removeFromAnnotations(TurnClaim.ANNOTATION).build();
            return Optional.of(api.update(leaseCollection, TurnLeaseObjects.lease(meta, spec(identity, now))));
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Nanoseconds until {@code at} (a holder's hold or a claim running out), at least 5 ms; the whole
     * hold when there is no such instant.
     */
    private long nanosUntil(Optional<Instant> at) {
        return at.map(t -> Math.max(TimeUnit.MILLISECONDS.toNanos(5), Duration.between(Instant.now(), t).toNanos()))
                .orElse(hold.toNanos());
    }

    private Optional<Instant> expiry(GenericKubernetesResource lease) {
        return TurnLeaseObjects.expiry(lease, hold);
    }

    @Override
    public void close() {
        views.close();
    }

    /**
     * Gives the turn back, or hands it to the waiter that claimed it. Starts from the newest copy of
     * our hold that the view has (a claim made during our turn is only in that one).
     */
    private void giveBack(String name, GenericKubernetesResource held) {
        gaveBack.put(name, Instant.now());
        GenericKubernetesResource latest = views.ifLive(name).map(LeaseView::latest).orElse(null);
        boolean sameHold = latest != null && TurnLeaseObjects.holder(latest).filter(identity::equals).isPresent()
                && TurnLeaseObjects.renewTime(latest).equals(TurnLeaseObjects.renewTime(held));
        try {
            api.update(leaseCollection, released(sameHold ? latest : held));
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                return; // gone, or the API server is away: the hold runs out by itself
            }
            // A waiter claimed the next turn after the copy we had (or our hold ran out and it was
            // taken): give back, or hand over, what is still ours.
            try {
                GenericKubernetesResource current = leases.withName(name).get();
                if (TurnLeaseObjects.holder(current).filter(identity::equals).isPresent()) {
                    api.update(leaseCollection, released(current));
                }
            } catch (KubernetesClientException again) {
                // taken over or gone: the turn is over either way
            }
        }
    }

    /** {@code ours} with the turn handed to its fresh claimant (the claim used up), or given back (a stale claim kept). */
    private GenericKubernetesResource released(GenericKubernetesResource ours) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Optional<String> next = TurnClaim.claimant(ours, now).filter(c -> !c.equals(identity));
        ObjectMeta meta = next.isPresent()
                ? new ObjectMetaBuilder(ours.getMetadata()).removeFromAnnotations(TurnClaim.ANNOTATION).build()
                : ours.getMetadata();
        return TurnLeaseObjects.lease(meta, next.map(c -> spec(c, now)).orElseGet(() -> spec("", null)));
    }

    /** Whether another node handed this node the turn of {@code name}: it names us, renewed after we last gave it back. */
    private boolean handedToMe(String name, GenericKubernetesResource lease, Instant now) {
        Instant since = gaveBack.getOrDefault(name, Instant.MIN);
        return TurnLeaseObjects.holder(lease).filter(identity::equals).isPresent()
                && TurnLeaseObjects.renewTime(lease).filter(t -> t.isAfter(since)).isPresent()
                && expiry(lease).filter(at -> at.isAfter(now)).isPresent();
    }

    /** Whether another node holds {@code lease} and its turn has not run out at {@code now}. */
    private boolean heldByOther(GenericKubernetesResource lease, Instant now) {
        return TurnLeaseObjects.holder(lease).filter(h -> !h.equals(identity)).isPresent()
                && expiry(lease).map(at -> at.isAfter(now)).orElse(false);
    }

    private Map<String, Object> spec(String holder, Instant renewTime) {
        return TurnLeaseObjects.spec(holder, hold, renewTime);
    }
}
