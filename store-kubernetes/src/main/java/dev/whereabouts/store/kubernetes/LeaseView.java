package dev.whereabouts.store.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One turn Lease as this node last saw it, kept current by a watch on that single object.
 *
 * <p>Why: a waiter that polls the Lease costs the API server a GET every few tens of milliseconds
 * per node, which in a burst of ten nodes was half of what the server could answer. Fed by a watch,
 * a waiter sends nothing until the Lease changes, then tries to take it with the version the event
 * carried. The watch is on one object by name, opened the first time this node writes or waits for
 * that pool, so a node's watches grow with the pools it writes, never with the cluster. If the watch
 * ends, {@link #live()} turns false and the caller falls back to polling until it reopens one.
 */
final class LeaseView implements Watcher<GenericKubernetesResource>, AutoCloseable {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Watch watch;
    private GenericKubernetesResource latest;
    private long changes;
    private volatile boolean live = true;

    /**
     * Opens a view of {@code lease}.
     *
     * @throws KubernetesClientException when the watch cannot be opened
     */
    LeaseView(Resource<GenericKubernetesResource> lease) {
        this.watch = lease.watch(this);
    }

    /** How many changes were seen; pass it to {@link #awaitChangeAfter}. */
    long changes() {
        lock.lock();
        try {
            return changes;
        } finally {
            lock.unlock();
        }
    }

    /** The Lease as last seen, or null when no event has shown it yet (read it instead). */
    GenericKubernetesResource latest() {
        lock.lock();
        try {
            return latest;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Records what a read returned, unless an event came first (resourceVersions are opaque, so
     * events, which arrive in order, are the only judge of which is newer).
     */
    void read(GenericKubernetesResource lease) {
        lock.lock();
        try {
            if (latest == null) {
                latest = lease;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits until more than {@code seen} changes were seen, or {@code nanos} pass. */
    void awaitChangeAfter(long seen, long nanos) throws InterruptedException {
        lock.lock();
        try {
            long left = nanos;
            while (changes == seen && left > 0 && live) {
                left = changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether events still arrive. */
    boolean live() {
        return live;
    }

    @Override
    public void eventReceived(Action action, GenericKubernetesResource lease) {
        lock.lock();
        try {
            latest = action == Action.DELETED ? null : lease;
            changes++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onClose(WatcherException cause) {
        ended();
    }

    @Override
    public void onClose() {
        ended();
    }

    private void ended() {
        lock.lock();
        try {
            live = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        live = false;
        watch.close();
    }
}
