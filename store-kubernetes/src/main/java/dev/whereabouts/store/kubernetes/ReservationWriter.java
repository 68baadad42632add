package dev.whereabouts.store.kubernetes;

import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.Reservation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Create-if-absent, refresh, and owner-checked removal of reservation objects. There is no
 * transaction across objects in Kubernetes, so every step re-checks the owner it is about to touch.
 */
final class ReservationWriter {

    private static final Logger LOG = LoggerFactory.getLogger(ReservationWriter.class);
    private static final int ATTEMPTS = 5;
    /** Bounds {@link #written}; past it the map starts again, which only costs reads. */
    private static final int MAX_WRITTEN = 1 << 16;

    /** What reserving one address did. */
    sealed interface Claim {
        /** We created object {@code name}, now at {@code resourceVersion} (undo by deleting it). */
        record Created(String name, String resourceVersion) implements Claim {}

        /** The same attachment already held it; it was refreshed in place. */
        record Held() implements Claim {}

        /** Someone else holds it. */
        record Taken(Reservation holder) implements Claim {}

        /**
         * The object appeared and vanished under every attempt: other writers are creating and
         * rolling back the same address right now. That is a lost race, not an outage, so the
         * caller re-reads and tries again instead of failing the CNI call.
         */
        record Contended() implements Claim {}
    }

    private final NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> objects;
    private final String namespace;
    private final ReservationRequests requests;
    /**
     * The resourceVersion of each reservation this client created or re-owned, by object name. A
     * release whose object is still at that version is still ours, so it deletes with that version
     * as its precondition and skips the read; a moved or missing object makes the delete fail and
     * the release falls back to reading.
     */
    private final ConcurrentHashMap<String, Written> written = new ConcurrentHashMap<>();

    private record Written(Owner owner, String resourceVersion) {}

    ReservationWriter(KubernetesClient client, String namespace, ApiTransport api) {
        this.objects = client.genericKubernetesResources(Kinds.RESERVATION).inNamespace(namespace);
        this.namespace = namespace;
        this.requests = new ReservationRequests(api, namespace);
    }

    Claim claim(Reservation r) {
        String name = r.objectName();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            String created = ApiErrors.call("create reservation " + name, () -> requests.create(r));
            if (created != null) {
                remember(r.owner(), name, created);
                return new Claim.Created(name, created);
            }
            GenericKubernetesResource existing = get(name);
            if (existing == null) {
                continue; // deleted between our create and our read: try to create again
            }
            Reservation holder = ReservationObjects.parse(existing)
                    .orElse(new Reservation(r.networkName(), r.ip(), ReservationObjects.owner(existing)));
            if (!holder.owner().sameAttachment(r.owner())) {
                return new Claim.Taken(holder);
            }
            if (holder.owner().equals(r.owner())) {
                return new Claim.Held();
            }
            try {
                var meta = objects.resource(ReservationObjects.reowned(existing, r.owner())).update().getMetadata();
                remember(r.owner(), meta.getName(), meta.getResourceVersion());
                return new Claim.Held();
            } catch (KubernetesClientException e) {
                if (!ApiErrors.conflict(e) && e.getCode() != ApiErrors.NOT_FOUND) {
                    throw ApiErrors.unavailable("update reservation " + name, e);
                }
            }
        }
        LOG.debug("reservation {} kept changing under {} attempts", name, ATTEMPTS);
        return new Claim.Contended();
    }

    /**
     * Claims every reservation at once: a batch of N addresses costs one round trip of latency, not
     * N. Returns the claims in order; when any claim fails, the ones created are undone and the
     * failure is rethrown.
     */
    List<Claim> claimAll(List<Reservation> wanted) {
        if (wanted.size() <= 1) {
            return wanted.stream().map(this::claim).toList();
        }
        List<Future<Claim>> running = new ArrayList<>();
        try (ExecutorService each = Executors.newVirtualThreadPerTaskExecutor()) {
            wanted.forEach(r -> running.add(each.submit(() -> claim(r))));
        }
        List<Claim> claims = new ArrayList<>();
        RuntimeException failure = null;
        for (Future<Claim> f : running) {
            switch (f.state()) {
                case SUCCESS -> claims.add(f.resultNow());
                default -> failure = failure != null ? failure : asRuntime(f.exceptionNow());
            }
        }
        if (failure != null) {
            claims.forEach(c -> {
                if (c instanceof Claim.Created created) {
                    undo(created);
                }
            });
            throw failure;
        }
        return claims;
    }

    /**
     * Releases every reservation at once. When some could not be released the pool is already
     * written, so the failure is thrown anyway: the caller's outcome becomes unknown, its DEL is
     * queued, and the retry sweeps the reservations the attachment still holds.
     */
    void releaseAll(List<Reservation> gone) {
        java.util.Queue<RuntimeException> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
        java.util.function.Consumer<Reservation> releaseOne = r -> {
            try {
                release(r);
            } catch (RuntimeException e) {
                LOG.warn("pool written, but reservation {} not released: {}", r.objectName(), e.getMessage());
                failures.add(e);
            }
        };
        if (gone.size() <= 1) {
            gone.forEach(releaseOne); // a lone DEL's: no thread to start for it
        } else {
            try (ExecutorService each = Executors.newVirtualThreadPerTaskExecutor()) {
                gone.forEach(r -> each.execute(() -> releaseOne.accept(r)));
            }
        }
        if (!failures.isEmpty()) {
            throw failures.peek();
        }
    }

    private static RuntimeException asRuntime(Throwable t) {
        return t instanceof RuntimeException r ? r : new IllegalStateException(t);
    }

    /** Undoes a {@link Claim.Created}: deletes the object only if it is still the one we created. */
    void undo(Claim.Created created) {
        written.remove(created.name());
        try {
            requests.delete(created.name(), created.resourceVersion());
        } catch (KubernetesClientException e) {
            LOG.warn("could not roll back reservation {}; the reconciler will remove it: {}",
                    created.name(), e.getMessage());
        }
    }

    /** Removes {@code r} if it is still held by the same attachment. */
    boolean release(Reservation r) {
        String name = r.objectName();
        Written mine = written.remove(name);
        if (mine != null && mine.owner().sameAttachment(r.owner())) {
            switch (ApiErrors.call("delete reservation " + name, () -> requests.delete(name, mine.resourceVersion()))) {
                case DELETED -> { return true; }
                case MISSING -> { return false; }
                case MOVED -> { } // re-owned or replaced since: read who holds it now
            }
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            GenericKubernetesResource existing = get(name);
            if (existing == null || !ReservationObjects.owner(existing).sameAttachment(r.owner())) {
                return false;
            }
            // The precondition makes "still ours" and "delete" one step on a real API server.
            String at = existing.getMetadata().getResourceVersion();
            switch (ApiErrors.call("delete reservation " + name, () -> requests.delete(name, at))) {
                case DELETED -> { return true; }
                case MISSING -> { return false; }
                case MOVED -> { } // changed between the read and the delete: read again
            }
        }
        return false;
    }

    private void remember(Owner owner, String name, String resourceVersion) {
        if (written.size() >= MAX_WRITTEN) {
            written.clear();
        }
        written.put(name, new Written(owner, resourceVersion));
    }

    Optional<GenericKubernetesResource> find(String name) {
        return Optional.ofNullable(get(name));
    }

    private GenericKubernetesResource get(String name) {
        return ApiErrors.call("get reservation " + name, () -> objects.withName(name).get());
    }
}
