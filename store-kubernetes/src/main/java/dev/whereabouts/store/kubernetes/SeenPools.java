package dev.whereabouts.store.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The newest {@code IPPool} object this client has seen per name: from its own reads and writes and,
 * for the pools the engine follows, from a watch on that one object.
 *
 * <p>Why: a write that follows this client's own read or write needs the whole object to PUT, and
 * keeping it saves a GET. Another node's write makes that PUT conflict; with a watch on the pool
 * ({@code kubernetes.watch_pools}), the object is replaced as soon as the other write is known, so a
 * lost race waits for the event that beat it instead of reading the pool again.
 *
 * <p>Watches are opened only on {@link #awaitNewer}, which the engine calls for pools it writes, one
 * per pool and by name, so a node's watches grow with the pools it writes, never with the cluster.
 * A watch that ends is reopened at the next call, from the newest version seen.
 *
 * <p>Newer is decided by comparing resourceVersions as numbers, which is what every API server
 * backed by etcd hands out. Objects and events come from different connections and may arrive out
 * of order, and without that comparison an old event could replace a newer write. A version that is
 * not a number turns following off for that object: it is kept as last seen, never reported newer.
 */
final class SeenPools implements AutoCloseable {

    private final NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> pools;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, GenericKubernetesResource> latest = new HashMap<>();
    private final Map<String, Events> watches = new HashMap<>();
    private boolean closed;

    SeenPools(NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> pools) {
        this.pools = pools;
    }

    /** The newest object seen under {@code name}, or null. */
    GenericKubernetesResource get(String name) {
        lock.lock();
        try {
            return latest.get(name);
        } finally {
            lock.unlock();
        }
    }

    /** Reads {@code name} from the server and records what it found; null when there is no such pool. */
    GenericKubernetesResource fetch(String name) {
        GenericKubernetesResource pool = ApiErrors.call("get pool " + name, () -> pools.withName(name).get());
        if (pool == null) {
            forget(name);
        } else {
            saw(pool);
        }
        return pool;
    }

    /** Records an object read, written or delivered, unless a newer one was seen already. */
    void saw(GenericKubernetesResource pool) {
        String name = pool.getMetadata().getName();
        lock.lock();
        try {
            GenericKubernetesResource known = latest.get(name);
            if (known == null || !isNewer(version(known), version(pool))) {
                latest.put(name, pool);
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Forgets {@code name}: it was deleted, or a write to it found it moved or gone. */
    void forget(String name) {
        lock.lock();
        try {
            latest.remove(name);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The newest object seen under {@code name} once its resourceVersion is above {@code seen},
     * waiting up to {@code maxWait}; opens the pool's watch if none is open.
     */
    Optional<GenericKubernetesResource> awaitNewer(String name, String seen, Duration maxWait) {
        OptionalLong floor = number(seen);
        if (floor.isEmpty() && !seen.isEmpty()) {
            return Optional.empty();
        }
        long above = floor.orElse(0);
        follow(name);
        long left = maxWait.toNanos();
        lock.lock();
        try {
            while (true) {
                GenericKubernetesResource pool = latest.get(name);
                OptionalLong v = pool == null ? OptionalLong.empty() : number(version(pool));
                if (v.isPresent() && v.getAsLong() > above) {
                    return Optional.of(pool);
                }
                if (left <= 0 || closed || !watches.containsKey(name)) {
                    return Optional.empty();
                }
                left = changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /** Opens the watch of {@code name} unless one is open; a pool that cannot be watched is only read. */
    private void follow(String name) {
        String from;
        lock.lock();
        try {
            if (closed || watches.containsKey(name)) {
                return;
            }
            GenericKubernetesResource known = latest.get(name);
            from = known == null || number(version(known)).isEmpty() ? null : version(known);
        } finally {
            lock.unlock();
        }
        Events events = new Events(name);
        try {
            // From the version last seen, so that no write between that and now goes unheard.
            events.watch = from == null ? pools.withName(name).watch(events) : pools.withName(name).watch(from, events);
        } catch (KubernetesClientException e) {
            return;
        }
        boolean keep;
        lock.lock();
        try {
            keep = !closed && watches.putIfAbsent(name, events) == null;
        } finally {
            lock.unlock();
        }
        if (!keep) {
            events.watch.close();
        }
    }

    private final class Events implements Watcher<GenericKubernetesResource> {
        private final String name;
        private volatile Watch watch;

        Events(String name) {
            this.name = name;
        }

        @Override
        public void eventReceived(Action action, GenericKubernetesResource pool) {
            switch (action) {
                case ADDED, MODIFIED -> saw(pool);
                case DELETED -> forget(name);
                default -> { } // BOOKMARK, ERROR: nothing about the pool itself
            }
        }

        @Override
        public void onClose(WatcherException cause) {
            ended(cause.isHttpGone());
        }

        @Override
        public void onClose() {
            ended(false);
        }

        private void ended(boolean tooOld) {
            lock.lock();
            try {
                watches.remove(name, this);
                if (tooOld) {
                    latest.remove(name); // the next watch starts from now, not from a compacted version
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public void close() {
        List<Events> open;
        lock.lock();
        try {
            closed = true;
            open = List.copyOf(watches.values());
            watches.clear();
            latest.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        open.forEach(e -> e.watch.close()); // outside the lock: closing may call back into onClose
    }

    /** Whether {@code pool} is known to be newer than {@code version}; false when either is not a number. */
    static boolean isNewer(GenericKubernetesResource pool, String version) {
        return isNewer(version(pool), version);
    }

    private static boolean isNewer(String a, String b) {
        OptionalLong x = number(a);
        OptionalLong y = number(b);
        return x.isPresent() && y.isPresent() && x.getAsLong() > y.getAsLong();
    }

    private static String version(GenericKubernetesResource pool) {
        String v = pool.getMetadata().getResourceVersion();
        return v == null ? "" : v;
    }

    private static OptionalLong number(String version) {
        try {
            return OptionalLong.of(Long.parseLong(version));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
