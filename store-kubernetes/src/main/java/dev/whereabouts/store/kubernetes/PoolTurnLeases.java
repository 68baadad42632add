package dev.whereabouts.store.kubernetes;

import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.spi.ContentionLock;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
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
import java.util.concurrent.ThreadLocalRandom;

/**
 * Turns on a contended pool through one {@code coordination.k8s.io/v1} Lease per pool, named
 * {@code whereabouts-turn-<pool>}: taken with a create or an update against the resourceVersion
 * just read (so two nodes cannot both take it), given back by clearing the holder, and valid for
 * {@link #HOLD} if a holder dies. Unlike upstream's one Lease for the whole cluster, only writers
 * of one pool wait for each other, and only while that pool is contended. Waiters poll with a short
 * jittered pause; the API server sees a few reads per waiter and turn, far less than the lost
 * races they replace.
 */
final class PoolTurnLeases implements ContentionLock {

    static final Duration HOLD = Duration.ofSeconds(2);
    static final String PREFIX = "whereabouts-turn-";
    private static final ResourceDefinitionContext LEASE = new ResourceDefinitionContext.Builder()
            .withGroup("coordination.k8s.io").withVersion("v1").withKind("Lease").withPlural("leases")
            .withNamespaced(true).build();

    private final NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> leases;
    private final String namespace;
    private final String identity = "whereabouts-" + UUID.randomUUID();

    PoolTurnLeases(KubernetesClient client, String namespace) {
        this.leases = client.genericKubernetesResources(LEASE).inNamespace(namespace);
        this.namespace = namespace;
    }

    @Override
    public Optional<Turn> awaitTurn(PoolKey pool, Duration maxWait) {
        String name = PREFIX + pool.objectName();
        long end = System.nanoTime() + maxWait.toNanos();
        try {
            while (System.nanoTime() - end < 0) {
                Optional<GenericKubernetesResource> mine = tryTake(name);
                if (mine.isPresent()) {
                    return Optional.of(() -> giveBack(mine.get()));
                }
                // Waiters poll: keep it well below what the holder's own requests need.
                Thread.sleep(ThreadLocalRandom.current().nextLong(20, 60));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (KubernetesClientException e) {
            return Optional.empty(); // only fairness is lost: the write itself still guards
        }
        return Optional.empty();
    }

    private Optional<GenericKubernetesResource> tryTake(String name) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        try {
            GenericKubernetesResource current = leases.withName(name).get();
            if (current == null) {
                GenericKubernetesResource fresh = new GenericKubernetesResource();
                fresh.setApiVersion("coordination.k8s.io/v1");
                fresh.setKind("Lease");
                fresh.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
                fresh.setAdditionalProperty("spec", spec(identity, now));
                return Optional.of(leases.resource(fresh).create());
            }
            if (heldByOther(current, now)) {
                return Optional.empty();
            }
            current.setAdditionalProperty("spec", spec(identity, now));
            return Optional.of(leases.resource(current).update()); // carries the resourceVersion read
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return Optional.empty();
            }
            throw e;
        }
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
        try {
            Instant renewed = Instant.parse(String.valueOf(spec.get("renewTime")));
            return renewed.plus(HOLD).isAfter(now);
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static Map<String, Object> spec(String holder, Instant renewTime) {
        Map<String, Object> spec = new HashMap<>();
        spec.put("holderIdentity", holder);
        spec.put("leaseDurationSeconds", HOLD.toSeconds());
        if (renewTime != null) {
            spec.put("acquireTime", renewTime.toString());
            spec.put("renewTime", renewTime.toString());
        }
        return spec;
    }
}
