package dev.whereabouts.store.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's {@link LeaseView}s of turn Leases, one per pool it has written or waited for. A view is
 * kept once opened, as a pool written once tends to be again, and reopened when its watch ended.
 * After {@link #close()} none opens, and one that was still opening is closed as it arrives.
 */
final class LeaseViews implements AutoCloseable {

    private final NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> leases;
    private final ConcurrentHashMap<String, LeaseView> views = new ConcurrentHashMap<>();
    /** Leases whose view is being opened in the background ({@link #ifLive}). */
    private final Set<String> opening = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    LeaseViews(NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> leases) {
        this.leases = leases;
    }

    /** The live view of Lease {@code name}, opened now if needed; null when no watch opens (then poll). */
    LeaseView open(String name) {
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
            if (closed) {
                views.remove(name, fresh);
                fresh.close(); // the store closed while the watch was opening
            }
            return fresh;
        } catch (KubernetesClientException e) {
            return null;
        }
    }

    /**
     * The live view of Lease {@code name} if there is one. If not, one is opened in the background
     * and this answers empty: a caller that must not wait (a first write) is not delayed by a watch.
     */
    Optional<LeaseView> ifLive(String name) {
        LeaseView view = views.get(name);
        if (view != null && view.live()) {
            return Optional.of(view);
        }
        if (!closed && opening.add(name)) {
            Thread.ofVirtual().name("whereabouts-turn-view").start(() -> {
                try {
                    open(name);
                } finally {
                    opening.remove(name);
                }
            });
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        closed = true;
        views.values().forEach(LeaseView::close);
        views.clear();
    }
}
