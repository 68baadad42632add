package dev.whereabouts.store.etcd;

import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolSnapshot;
import dev.whereabouts.ipam.api.PoolVersion;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The pools the engine follows, kept current by an etcd watch on each one's allocation keys.
 *
 * <p>Why: another node's write makes this client's next conditional write conflict, and a read of a
 * pool of 50,000 keys takes hundreds of milliseconds. A watch hands over each change as it happens,
 * so the engine decides on the pool as it is and, after a lost race, waits for the change that beat
 * it instead of reading.
 *
 * <p>A pool is followed once the engine has asked for it ({@link #awaitNewer}) and has read it since
 * (so following costs no read of its own): the read is the starting state, at the revision the read
 * saw, and the watch starts right after that revision, so no change is missed in between. Only the
 * allocation keys are watched. Every commit rewrites them together with the meta key in one
 * transaction, so the revision of the last allocation event is the pool's version; a pool whose meta
 * key moved alone only looks older than it is, which costs a conflict, never a wrong answer. A watch
 * that fails (etcd compacted past it, the client closes) drops the pool, and the next read starts
 * following it again.
 */
final class PoolFeeds implements AutoCloseable {

    /** The client's watch service, asked for only once a pool is followed. */
    private final Supplier<Watch> watches;
    private final KeyLayout layout;
    /** Pools the engine asked for; followed from their next read on. */
    private final Set<String> wanted = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, Followed> followed = new ConcurrentHashMap<>();
    private volatile boolean closed;

    PoolFeeds(Supplier<Watch> watches, KeyLayout layout) {
        this.watches = watches;
        this.layout = layout;
    }

    /** The pool once its version is above {@code seen}, waiting up to {@code maxWait}; empty if not followed. */
    Optional<PoolSnapshot> awaitNewer(PoolKey key, PoolVersion seen, Duration maxWait) {
        long above;
        try {
            above = seen.absent() ? 0 : Long.parseLong(seen.token());
        } catch (NumberFormatException e) {
            return Optional.empty(); // not a version of this store
        }
        wanted.add(key.objectName());
        Followed f = followed.get(key.objectName());
        return f == null ? Optional.empty() : f.awaitAbove(key, above, maxWait);
    }

    /** A read of {@code snapshot} at etcd revision {@code revision}: starts following a wanted pool. */
    void read(PoolSnapshot snapshot, long revision) {
        String name = snapshot.key().objectName();
        if (closed || !wanted.contains(name) || followed.containsKey(name)) {
            return;
        }
        Followed f = new Followed(name, snapshot);
        if (followed.putIfAbsent(name, f) != null) {
            return;
        }
        try {
            f.watcher = watches.get().watch(layout.allocations(snapshot.key()),
                    WatchOption.builder().isPrefix(true).withRevision(revision + 1).build(), f);
        } catch (RuntimeException e) {
            f.end();
            return;
        }
        if (closed || followed.get(name) != f) {
            f.end(); // ended while the watch was opening: close it now that it exists
        }
    }

    @Override
    public void close() {
        closed = true;
        List.copyOf(followed.values()).forEach(Followed::end);
    }

    /** One followed pool: its allocations and version as of the last event applied. */
    private final class Followed implements Watch.Listener {
        private final String name;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private final TreeMap<IpAddress, Owner> allocations;
        private long version;
        private boolean live = true;
        private volatile Watch.Watcher watcher;

        Followed(String name, PoolSnapshot start) {
            this.name = name;
            this.allocations = new TreeMap<>(start.allocations());
            this.version = start.exists() ? Long.parseLong(start.version().token()) : 0;
        }

        Optional<PoolSnapshot> awaitAbove(PoolKey key, long above, Duration maxWait) {
            long left = maxWait.toNanos();
            lock.lock();
            try {
                while (version <= above) {
                    if (left <= 0 || !live) {
                        return Optional.empty();
                    }
                    left = changed.awaitNanos(left);
                }
                return Optional.of(PoolSnapshot.of(key, new PoolVersion(Long.toString(version)), allocations));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void onNext(WatchResponse response) {
            // One response carries whole revisions, so a snapshot never shows half a transaction.
            boolean broken = false;
            lock.lock();
            try {
                for (WatchEvent e : response.getEvents()) {
                    IpAddress ip = KeyLayout.addressOf(e.getKeyValue().getKey());
                    if (e.getEventType() == WatchEvent.EventType.DELETE) {
                        allocations.remove(ip);
                    } else {
                        allocations.put(ip, Values.owner(e.getKeyValue()));
                    }
                    version = Math.max(version, e.getKeyValue().getModRevision());
                }
                changed.signalAll();
            } catch (RuntimeException e) {
                broken = true; // a key we cannot decode: stop trusting this copy
            } finally {
                lock.unlock();
            }
            if (broken) {
                end();
            }
        }

        @Override
        public void onError(Throwable error) {
            end();
        }

        @Override
        public void onCompleted() {
            end();
        }

        void end() {
            followed.remove(name, this);
            lock.lock();
            try {
                live = false;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            Watch.Watcher w = watcher;
            if (w != null) {
                w.close();
            }
        }
    }
}
