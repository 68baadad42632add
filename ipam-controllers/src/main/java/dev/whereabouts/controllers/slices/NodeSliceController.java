package dev.whereabouts.controllers.slices;

import dev.whereabouts.ops.nad.Nads;
import dev.whereabouts.ops.schedule.ReconcilerLease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@code NodeSlicePool}s in step with NADs and nodes. Informers on nodes, NADs and the pools
 * themselves only wake the worker; the worker runs a full {@link SliceSync} pass, so a burst of events
 * costs one pass and an event lost while down costs nothing (the first pass after start sees it).
 * Only the holder of the Lease {@value #LEASE} writes; the other replicas wait to take over.
 *
 * @since 0.1
 */
public final class NodeSliceController implements AutoCloseable {

    /** The coordination Lease that makes one replica active cluster-wide. */
    public static final String LEASE = "whereabouts-node-slice-controller";

    private static final Logger LOG = LoggerFactory.getLogger(NodeSliceController.class);

    private final KubernetesClient client;
    private final String namespace;
    private final SliceSync sync;
    private final ReconcilerLease lease;
    private final Duration resync;
    private final Object lock = new Object();
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private boolean dirty = true;
    private volatile boolean running = true;
    private volatile boolean leading;
    private Thread worker;

    /**
     * A controller writing pools into {@code namespace} as {@code identity}; it re-checks everything
     * every {@code resync} even without events, and holds the Lease for {@code leaseDuration}.
     */
    public NodeSliceController(KubernetesClient client, String namespace, String identity, Duration resync,
            Duration leaseDuration) {
        this.client = Objects.requireNonNull(client, "client");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.sync = new SliceSync(client, namespace);
        this.lease = new ReconcilerLease(client, namespace, LEASE, identity, leaseDuration, Clock.systemUTC());
        this.resync = resync;
    }

    /** Starts the informers and the worker thread. */
    public synchronized NodeSliceController start() {
        ResourceEventHandler<Object> wake = new ResourceEventHandler<>() {
            @Override
            public void onAdd(Object obj) {
                wake();
            }

            @Override
            public void onUpdate(Object oldObj, Object newObj) {
                wake();
            }

            @Override
            public void onDelete(Object obj, boolean deletedFinalStateUnknown) {
                wake();
            }
        };
        informers.add(client.nodes().inform(cast(wake)));
        informers.add(Nads.of(client).inAnyNamespace().inform(cast(wake)));
        // Pools only in our namespace: a hand edit or deletion there is undone on the next pass.
        informers.add(client.genericKubernetesResources(SlicePoolObjects.KIND).inNamespace(namespace).inform(cast(wake)));
        worker = Thread.ofPlatform().daemon().name("whereabouts-node-slices").start(this::loop);
        return this;
    }

    @SuppressWarnings("unchecked")
    private static <T> ResourceEventHandler<T> cast(ResourceEventHandler<Object> h) {
        return (ResourceEventHandler<T>) (ResourceEventHandler<?>) h;
    }

    private void wake() {
        synchronized (lock) {
            dirty = true;
            lock.notifyAll();
        }
    }

    private void loop() {
        Duration retry = lease.duration().dividedBy(3);
        long lastPass = System.nanoTime();
        while (running) {
            try {
                if (!leading) {
                    leading = lease.tryAcquire(Clock.systemUTC().instant());
                    if (leading) {
                        LOG.info("node-slice controller {} is active", lease.identity());
                        dirty = true;
                    }
                } else if (!lease.renew()) {
                    leading = false;
                    LOG.warn("node-slice controller {} lost its Lease; standing by", lease.identity());
                }
                boolean due = System.nanoTime() - lastPass >= resync.toNanos();
                if (leading && (takeDirty() || due)) {
                    lastPass = System.nanoTime();
                    int writes = sync.run();
                    LOG.debug("node-slice pass: {} pools written", writes);
                }
            } catch (RuntimeException e) {
                // A write that lost a race or an API hiccup: the next pass reads afresh and redoes it.
                LOG.warn("node-slice pass failed, retrying: {}", e.toString());
                wake();
                sleep(Duration.ofSeconds(1));
            }
            waitForWork(min(retry, resync));
        }
    }

    private boolean takeDirty() {
        synchronized (lock) {
            boolean was = dirty;
            dirty = false;
            return was;
        }
    }

    private void waitForWork(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (lock) {
            while (running && !dirty) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether this replica holds the Lease. */
    public boolean active() {
        return leading;
    }

    /** Stops the informers and the worker and gives the Lease up, so a standby takes over at once. */
    @Override
    public synchronized void close() {
        running = false;
        wake();
        informers.forEach(SharedIndexInformer::close);
        if (worker != null) {
            try {
                worker.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lease.release();
    }
}
