package dev.whereabouts.ops.schedule;

import dev.whereabouts.ops.RequiredPermissions;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The coordination.k8s.io/v1 Lease that lets one reconciler in the cluster run a scheduled pass.
 * Every write is a create or an update against the {@code resourceVersion} just read, so two nodes
 * that try at the same moment cannot both win. Permissions: leases get, create, update
 * ({@link RequiredPermissions}).
 *
 * <p>Besides the holder, the Lease records the fire time a holder took it for (annotation
 * {@value #FIRE_ANNOTATION}): when every node's scheduler wakes at 04:30, the first one runs the pass
 * and the others see that 04:30 is taken, even after the winner released the Lease. This is what
 * keeps a DaemonSet from listing pods once per node (upstream #386).
 *
 * @since 0.1
 */
public final class ReconcilerLease {

    /** The fire time the last holder acquired the Lease for (ISO-8601 instant). */
    public static final String FIRE_ANNOTATION = "whereabouts.dev/reconciler-fire-time";

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final String identity;
    private final Duration duration;
    private final Clock clock;

    /**
     * A Lease {@code name} in {@code namespace}, held as {@code identity} (such as the node name)
     * for {@code duration} between renewals.
     */
    public ReconcilerLease(KubernetesClient client, String namespace, String name, String identity, Duration duration,
            Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
        this.identity = identity;
        this.duration = duration;
        this.clock = clock;
    }

    /** The Lease {@value RequiredPermissions#RECONCILER_LEASE} held for 60 seconds between renewals. */
    public static ReconcilerLease standard(KubernetesClient client, String namespace, String identity) {
        return new ReconcilerLease(client, namespace, RequiredPermissions.RECONCILER_LEASE, identity,
                Duration.ofSeconds(60), Clock.systemUTC());
    }

    /** This holder's identity. */
    public String identity() {
        return identity;
    }

    /** How long the Lease stays valid without a renewal. */
    public Duration duration() {
        return duration;
    }

    /**
     * Tries to become the holder for the pass due at {@code fireTime}.
     *
     * @return false when another holder's Lease is still valid, when someone already took this fire
     *     time, or when another node won the race
     */
    public boolean tryAcquire(Instant fireTime) {
        Instant now = clock.instant();
        try {
            Lease current = leases().withName(name).get();
            if (current == null) {
                Lease fresh = new Lease();
                fresh.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace)
                        .withAnnotations(Map.of(FIRE_ANNOTATION, fireTime.toString())).build());
                fresh.setSpec(spec(now, now, 0));
                leases().resource(fresh).create();
                return true;
            }
            LeaseSpec spec = current.getSpec() == null ? new LeaseSpec() : current.getSpec();
            if (!identity.equals(spec.getHolderIdentity()) && heldByOther(spec, now)) {
                return false;
            }
            Optional<Instant> taken = takenFor(current);
            if (taken.isPresent() && !taken.get().isBefore(fireTime) && !identity.equals(spec.getHolderIdentity())) {
                return false;
            }
            int transitions = spec.getLeaseTransitions() == null ? 0 : spec.getLeaseTransitions();
            Map<String, String> annotations = new HashMap<>(
                    current.getMetadata().getAnnotations() == null ? Map.of() : current.getMetadata().getAnnotations());
            annotations.put(FIRE_ANNOTATION, fireTime.toString());
            current.getMetadata().setAnnotations(annotations);
            current.setSpec(spec(now, now, identity.equals(spec.getHolderIdentity()) ? transitions : transitions + 1));
            // update() sends the resourceVersion we read: a concurrent writer makes it fail with 409.
            leases().resource(current).update();
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return false;
            }
            throw e;
        }
    }

    /** Renews the Lease; false when it is no longer ours (the pass should stop writing). */
    public boolean renew() {
        try {
            Lease current = leases().withName(name).get();
            if (current == null || current.getSpec() == null || !identity.equals(current.getSpec().getHolderIdentity())) {
                return false;
            }
            current.getSpec().setRenewTime(ZonedDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
            leases().resource(current).update();
            return true;
        } catch (KubernetesClientException e) {
            return false;
        }
    }

    /**
     * Gives the Lease up after a pass (the fire-time annotation stays, so nobody repeats this pass).
     * Failures are ignored: the Lease then simply expires.
     */
    public void release() {
        try {
            Lease current = leases().withName(name).get();
            if (current == null || current.getSpec() == null || !identity.equals(current.getSpec().getHolderIdentity())) {
                return;
            }
            current.getSpec().setHolderIdentity(null);
            current.getSpec().setRenewTime(null);
            leases().resource(current).update();
        } catch (KubernetesClientException e) {
            // expires on its own
        }
    }

    /** The current holder, if the Lease exists and is held. */
    public Optional<String> holder() {
        Lease current = leases().withName(name).get();
        if (current == null || current.getSpec() == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(current.getSpec().getHolderIdentity()).filter(s -> !s.isEmpty());
    }

    private boolean heldByOther(LeaseSpec spec, Instant now) {
        String holder = spec.getHolderIdentity();
        if (holder == null || holder.isEmpty()) {
            return false;
        }
        ZonedDateTime renewed = spec.getRenewTime() != null ? spec.getRenewTime() : spec.getAcquireTime();
        int seconds = spec.getLeaseDurationSeconds() == null ? 0 : spec.getLeaseDurationSeconds();
        return renewed != null && renewed.toInstant().plusSeconds(seconds).isAfter(now);
    }

    private static Optional<Instant> takenFor(Lease lease) {
        Map<String, String> a = lease.getMetadata().getAnnotations();
        if (a == null || a.get(FIRE_ANNOTATION) == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(a.get(FIRE_ANNOTATION)));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private LeaseSpec spec(Instant acquired, Instant renewed, int transitions) {
        LeaseSpec s = new LeaseSpec();
        s.setHolderIdentity(identity);
        s.setLeaseDurationSeconds((int) duration.toSeconds());
        s.setAcquireTime(ZonedDateTime.ofInstant(acquired, ZoneOffset.UTC));
        s.setRenewTime(ZonedDateTime.ofInstant(renewed, ZoneOffset.UTC));
        s.setLeaseTransitions(transitions);
        return s;
    }

    private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<Lease, io.fabric8.kubernetes.api.model.coordination.v1.LeaseList,
            io.fabric8.kubernetes.client.dsl.Resource<Lease>> leases() {
        return client.leases().inNamespace(namespace);
    }
}
