package dev.whereabouts.store.etcd;

import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.spi.ContentionLock;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.Lock;
import io.etcd.jetcd.Watch;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns on a contended pool through etcd's lock service, which queues waiters in the order their
 * lock keys were created. Each lock key hangs on a short lease, so a crashed holder's turn ends by
 * itself within {@link #LEASE_SECONDS}; a client reuses one lease for half its life instead of
 * keeping it alive with a stream, so it owns no background thread.
 */
final class PoolTurns implements ContentionLock, AutoCloseable {

    static final long LEASE_SECONDS = 6;
    private static final long CLOSE_WAIT_MS = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(PoolTurns.class);

    private final Lock locks;
    private final Lease leases;
    private final KeyLayout layout;
    /** For the lock queue views ({@link #turnTakenElsewhere}); null: none, the answer is always no. */
    private final KV kv;
    private final Supplier<Watch> watches;
    /** The store's own threads, which its close() waits for, to open views on. */
    private final Executor background;
    private long leaseId;
    private long leaseRenewAfterNanos;
    /** The leases this client granted lately, in hex as the lock keys name them: their keys are ours. */
    private final Set<String> ownLeases = ConcurrentHashMap.newKeySet();
    /** Each pool's last unlock sent; the next lock of that pool waits for it (see {@link #awaitTurn}). */
    private final Map<PoolKey, CompletableFuture<?>> unlocking = new ConcurrentHashMap<>();
    private final Map<PoolKey, LockQueueView> views = new ConcurrentHashMap<>();
    private final Set<PoolKey> opening = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    PoolTurns(Lock locks, Lease leases, KeyLayout layout) {
        this(locks, leases, layout, null, null, Runnable::run);
    }

    PoolTurns(Lock locks, Lease leases, KeyLayout layout, KV kv, Supplier<Watch> watches, Executor background) {
        this.locks = locks;
        this.leases = leases;
        this.layout = layout;
        this.kv = kv;
        this.watches = watches;
        this.background = background;
    }

    /**
     * Whether another client holds or awaits the turn of {@code pool}, from a {@link LockQueueView}
     * of its lock. The first call for a pool opens that view in the background and answers no.
     */
    @Override
    public boolean turnTakenElsewhere(PoolKey pool) {
        if (watches == null) {
            return false;
        }
        LockQueueView view = views.get(pool);
        if (view != null && view.live()) {
            return view.takenElsewhere(ownLeases);
        }
        if (!closed && opening.add(pool)) {
            Runnable openView = () -> {
                try {
                    LockQueueView opened = LockQueueView.open(kv, watches.get(), layout.lock(pool));
                    LockQueueView old = views.put(pool, opened);
                    if (old != null) {
                        old.close();
                    }
                    if (closed && views.remove(pool, opened)) {
                        opened.close(); // the store closed while the view was opening
                    }
                } catch (Exception e) {
                    LOG.debug("no view of the turn queue of pool {}: {}", pool, e.toString());
                } finally {
                    opening.remove(pool);
                }
            };
            try {
                background.execute(openView);
            } catch (RejectedExecutionException e) {
                opening.remove(pool); // the store is closing
            }
        }
        return false;
    }

    @Override
    public void close() {
        closed = true;
        views.values().forEach(LockQueueView::close);
        views.clear();
        // Unlocks still on their way: a client closed without them would hold the next node back
        // until its lease ends, up to LEASE_SECONDS.
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MS);
        for (CompletableFuture<?> unlock : unlocking.values()) {
            try {
                unlock.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException e) {
                // the lease ends that turn
            }
        }
    }

    @Override
    public Optional<Turn> awaitTurn(PoolKey pool, Duration maxWait) {
        long waitMs = Math.max(1, maxWait.toMillis());
        try {
            // The lock key is the lock's name plus the lease, and this client reuses its lease. Were
            // our last turn's unlock still on its way, this lock would find that key, keep its old
            // place at the head of the queue and jump every waiter; then the unlock would delete it
            // under us. So it waits for that unlock (sent when the last turn ended, so it is short).
            CompletableFuture<?> previous = unlocking.remove(pool);
            if (previous != null) {
                try {
                    previous.get(waitMs, TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    // failed: the lease ends that key, and etcd queues us behind it meanwhile
                }
            }
            long lease = lease(waitMs);
            ByteSequence held = locks.lock(layout.lock(pool), lease).get(waitMs, TimeUnit.MILLISECONDS).getKey();
            return Optional.of(() -> release(pool, held));
        } catch (TimeoutException e) {
            return Optional.empty(); // the waiter's lock key expires with its lease
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException | RuntimeException e) {
            LOG.debug("no turn on pool {}: {}", pool, e.toString());
            return Optional.empty();
        }
    }

    private synchronized long lease(long waitMs) throws ExecutionException, InterruptedException, TimeoutException {
        long now = System.nanoTime();
        if (leaseId == 0 || now - leaseRenewAfterNanos >= 0) {
            leaseId = leases.grant(LEASE_SECONDS).get(waitMs, TimeUnit.MILLISECONDS).getID();
            if (ownLeases.size() >= 4) {
                ownLeases.clear(); // older ones outlived their keys: a lease ends within LEASE_SECONDS
            }
            ownLeases.add(Long.toHexString(leaseId));
            leaseRenewAfterNanos = now + TimeUnit.SECONDS.toNanos(LEASE_SECONDS) / 2;
        }
        return leaseId;
    }

    private void release(PoolKey pool, ByteSequence held) {
        // Not awaited: the next writer's turn starts when etcd deletes the key, not when we hear of it.
        unlocking.put(pool, locks.unlock(held).exceptionally(e -> {
            LOG.debug("unlock failed; the lease ends the turn: {}", e.toString());
            return null;
        }));
    }
}
