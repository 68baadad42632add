package dev.whereabouts.store.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The queue of one pool's turn lock as this client last saw it: etcd's lock service keeps one key
 * per holder or waiter, {@code <lock name>/<lease id in hex>}, and a watch on that prefix keeps the
 * set current. It answers, from memory, whether a client other than this one holds or awaits the
 * turn.
 *
 * <p>Why: a node that never lost a race never queues for a turn, and its copy of the pool is
 * always the newest, so its writes land first while the node holding the turn reads and writes
 * behind it; the nodes queued behind that holder wait for both. With this view such a node queues
 * too while others do. The view is opened in the background the first time this client asks about
 * the pool, so a node's watches grow with the pools it writes; until it is live the answer is no.
 */
final class LockQueueView implements Watch.Listener, AutoCloseable {

    private static final long OPEN_TIMEOUT_MS = 2_000;

    private final Set<String> waiters = ConcurrentHashMap.newKeySet();
    private volatile boolean live = true;
    private volatile Watch.Watcher watcher;

    private LockQueueView() {
    }

    /**
     * Reads the queue of lock {@code name} and follows it from the revision read.
     *
     * @throws Exception when etcd does not answer in time or the watch cannot be opened
     */
    static LockQueueView open(KV kv, Watch watch, ByteSequence name) throws Exception {
        ByteSequence prefix = name.concat(ByteSequence.from("/", StandardCharsets.UTF_8));
        LockQueueView view = new LockQueueView();
        GetResponse now = kv.get(prefix, GetOption.builder().isPrefix(true).withKeysOnly(true).build())
                .get(OPEN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        for (KeyValue key : now.getKvs()) {
            view.waiters.add(leaseOf(key.getKey()));
        }
        view.watcher = watch.watch(prefix,
                WatchOption.builder().isPrefix(true).withRevision(now.getHeader().getRevision() + 1).build(), view);
        return view;
    }

    /** Whether a lock key of a lease other than {@code ours} (hex) holds or awaits the turn. */
    boolean takenElsewhere(Set<String> ours) {
        for (String lease : waiters) {
            if (!ours.contains(lease)) {
                return true;
            }
        }
        return false;
    }

    boolean live() {
        return live;
    }

    @Override
    public void onNext(WatchResponse response) {
        for (WatchEvent e : response.getEvents()) {
            String lease = leaseOf(e.getKeyValue().getKey());
            if (e.getEventType() == WatchEvent.EventType.DELETE) {
                waiters.remove(lease);
            } else {
                waiters.add(lease);
            }
        }
    }

    @Override
    public void onError(Throwable error) {
        close();
    }

    @Override
    public void onCompleted() {
        close();
    }

    @Override
    public void close() {
        live = false;
        Watch.Watcher w = watcher;
        if (w != null) {
            w.close();
        }
    }

    /** The lease part of a lock key: what follows its last {@code /}. */
    private static String leaseOf(ByteSequence key) {
        String k = key.toString(StandardCharsets.UTF_8);
        return k.substring(k.lastIndexOf('/') + 1);
    }
}
