package dev.whereabouts.controllers.pods;

import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ops.ReleaseMetrics;
import dev.whereabouts.ops.reconcile.PodDirectory;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-node pod controller: watches the pods of one node and, when one is deleted, releases the
 * addresses it held on its whereabouts networks ({@link PodRelease}) and records an Event per address.
 * A failed release is retried twice with back-off, then reported with a warning Event, as upstream;
 * whatever is still left is the reconciler's.
 *
 * @since 0.1
 */
public final class PodController implements AutoCloseable {

    /** Upstream drops an item after this many tries. */
    static final int MAX_TRIES = 3;

    private static final Logger LOG = LoggerFactory.getLogger(PodController.class);

    /** A deleted pod waiting for its (next) try. */
    private record Work(DeletedPod pod, int tries, long dueNanos) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(dueNanos, ((Work) o).dueNanos);
        }
    }

    private final KubernetesClient client;
    private final String node;
    private final PodRelease release;
    private final ReleaseEvents events;
    private final Duration backoff;
    private final boolean serverSideFilter;
    private final DelayQueue<Work> queue = new DelayQueue<>();
    private volatile boolean running = true;
    private SharedIndexInformer<Pod> informer;
    private Thread worker;

    /**
     * A controller for the pods of {@code node}, releasing through {@code store} and checking for
     * re-created pods in {@code pods}; a failed try waits {@code backoff}, doubled each time.
     */
    public PodController(KubernetesClient client, IpamStore store, PodDirectory pods, String node, Duration backoff) {
        this(client, store, pods, node, backoff, true);
    }

    /**
     * As above; without {@code serverSideFilter} the informer watches every pod and the node is
     * filtered here only. For fabric8's mock server, whose CRUD mode matches no pod on a
     * {@code spec.nodeName} field selector.
     */
    PodController(KubernetesClient client, IpamStore store, PodDirectory pods, String node, Duration backoff,
            boolean serverSideFilter) {
        this.serverSideFilter = serverSideFilter;
        this.client = Objects.requireNonNull(client, "client");
        this.node = Objects.requireNonNull(node, "node");
        this.release = new PodRelease(client, store, pods);
        this.events = new ReleaseEvents(client, node);
        this.backoff = backoff;
    }

    /**
     * Checks that the node exists, then starts the informer and the worker.
     *
     * @throws IllegalStateException when the node name is empty or names no Node
     */
    public synchronized PodController start() {
        if (node.isBlank()) {
            throw new IllegalStateException("NODENAME is not set: the pod controller watches the pods of one node");
        }
        if (client.nodes().withName(node).get() == null) {
            throw new IllegalStateException("NODENAME is '" + node + "', but the cluster has no Node of that name");
        }
        var pods = client.pods().inAnyNamespace();
        informer = (serverSideFilter ? pods.withField("spec.nodeName", node) : pods).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                // only deletions matter
            }

            @Override
            public void onUpdate(Pod oldPod, Pod newPod) {
                // only deletions matter
            }

            @Override
            public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
                deleted(pod);
            }
        }, 0);
        worker = Thread.ofPlatform().daemon().name("whereabouts-pod-controller").start(this::loop);
        LOG.info("pod controller watching the pods of node {}", node);
        return this;
    }

    private void deleted(Pod pod) {
        DeletedPod d = DeletedPod.of(pod);
        // The field selector should already have filtered; a server that ignores it must not make
        // this node release another node's pods twice.
        if (!node.equals(d.node())) {
            return;
        }
        if (d.networks().isEmpty()) {
            LOG.debug("deleted pod {} lists no secondary network", d.podRef());
            return;
        }
        queue.add(new Work(d, 0, System.nanoTime()));
    }

    private void loop() {
        while (running) {
            Work w;
            try {
                w = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (w != null) {
                handle(w);
            }
        }
    }

    private void handle(Work w) {
        try {
            for (PodRelease.Freed f : release.release(w.pod())) {
                events.released(w.pod(), f.allocation().ip(), f.nadRef());
                ReleaseMetrics.released("pods", "pod_deleted");
            }
        } catch (RuntimeException e) {
            int tries = w.tries() + 1;
            if (tries >= MAX_TRIES) {
                LOG.error("giving up on deleted pod {} after {} tries: {}", w.pod().podRef(), tries, e.toString());
                events.failed(w.pod());
                return;
            }
            Duration wait = backoff.multipliedBy(1L << (tries - 1));
            LOG.warn("releasing the addresses of deleted pod {} failed (try {}), retrying in {}: {}",
                    w.pod().podRef(), tries, wait, e.toString());
            queue.add(new Work(w.pod(), tries, System.nanoTime() + wait.toNanos()));
        }
    }

    /** Stops the informer and the worker; queued pods are left to the reconciler. */
    @Override
    public synchronized void close() {
        running = false;
        if (informer != null) {
            informer.close();
        }
        if (worker != null) {
            worker.interrupt();
            try {
                worker.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
