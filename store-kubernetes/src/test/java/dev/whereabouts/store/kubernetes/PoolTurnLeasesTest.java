package dev.whereabouts.store.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.spi.ContentionLock;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Turns on a contended pool through per-pool Leases, across two store clients of one mock API server. */
class PoolTurnLeasesTest {

    /**
     * Waiters get threads of their own: on a 2-core machine the common pool has one worker, and a
     * waiter parked there starves the HTTP client's completions that run on it.
     */
    static final Executor OWN_THREAD = r -> Thread.ofVirtual().start(r);

    static final PoolKey POOL = PoolKey.of(Cidr.parse("10.43.0.0/24"), "net-a");

    MockCluster cluster;

    @BeforeEach
    void start() {
        cluster = new MockCluster("whereabouts-test");
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void oneClientAtATimeHoldsATurnAndClosingItLetsTheNextIn() {
        KubernetesIpamStore a = cluster.open();
        KubernetesIpamStore b = cluster.open();
        Optional<ContentionLock.Turn> first = a.awaitTurn(POOL, Duration.ofSeconds(2));
        assertTrue(first.isPresent(), "a free pool gives a turn at once");
        assertTrue(b.awaitTurn(POOL, Duration.ofMillis(300)).isEmpty(), "a held turn makes the other client wait");
        first.get().close();
        Optional<ContentionLock.Turn> second = b.awaitTurn(POOL, Duration.ofSeconds(2));
        assertTrue(second.isPresent(), "a given-back turn lets the next client in");
        second.get().close();
        var lease = cluster.admin.genericKubernetesResources("coordination.k8s.io/v1", "Lease")
                .inNamespace(cluster.namespace).withName(PoolTurnLeases.PREFIX + POOL.objectName()).get();
        assertEquals("", ((Map<?, ?>) lease.getAdditionalProperties().get("spec")).get("holderIdentity"),
                "a given-back turn names no holder");
        a.close();
        b.close();
    }

    @Test
    void aWaitingClientSendsNothingUntilTheLeaseChangesThenTakesIt() throws Exception {
        // Holds declared long enough that no expiry falls inside the test, however slow the machine.
        try (KubernetesClient ca = cluster.server.createClient(); KubernetesClient cb = cluster.server.createClient();
                PoolTurnLeases a = new PoolTurnLeases(ca, new ApiTransport(ca), cluster.namespace, Duration.ofMinutes(5), Duration.ofMinutes(5));
                PoolTurnLeases b = new PoolTurnLeases(cb, new ApiTransport(cb), cluster.namespace, Duration.ofMinutes(5), Duration.ofMinutes(5))) {
            waitForTurnHandOff(a, b);
        }
    }

    @Test
    void aWaiterOutOfPatienceGetsTheNextTurnBeforeAFresherOne() throws Exception {
        try (KubernetesClient ca = cluster.server.createClient(); KubernetesClient cb = cluster.server.createClient();
                KubernetesClient cc = cluster.server.createClient();
                PoolTurnLeases a = new PoolTurnLeases(ca, new ApiTransport(ca), cluster.namespace, Duration.ofMinutes(5), Duration.ofMinutes(5));
                PoolTurnLeases patient = new PoolTurnLeases(cb, new ApiTransport(cb), cluster.namespace, Duration.ofMinutes(5), Duration.ofMillis(200));
                PoolTurnLeases fresh = new PoolTurnLeases(cc, new ApiTransport(cc), cluster.namespace, Duration.ofMinutes(5), Duration.ofMinutes(5))) {
            ContentionLock.Turn held = a.awaitTurn(POOL, Duration.ofSeconds(2)).orElseThrow();
            CompletableFuture<Optional<ContentionLock.Turn>> longest =
                    CompletableFuture.supplyAsync(() -> patient.awaitTurn(POOL, Duration.ofSeconds(30)), OWN_THREAD);
            awaitClaim();
            String claimant = TurnClaim.of(lease()).orElseThrow().node();
            held.close(); // handed to the claimant
            String handedOver = lease().getMetadata().getResourceVersion();
            assertEquals(claimant, TurnLeaseObjects.holder(lease()).orElseThrow(),
                    "the holder hands the turn to the claimant in the same update that gives it up");
            assertTrue(lease().getMetadata().getAnnotations() == null
                    || !lease().getMetadata().getAnnotations().containsKey(TurnClaim.ANNOTATION),
                    "handing the turn over used the claim up");
            assertTrue(fresh.awaitTurn(POOL, Duration.ofMillis(500)).isEmpty(),
                    "a waiter that just came leaves the turn to the one that claimed it");
            ContentionLock.Turn claimed = longest.get(30, TimeUnit.SECONDS).orElseThrow();
            assertTrue(fresh.awaitTurn(POOL, Duration.ofMillis(300)).isEmpty(), "the claimant holds the turn");
            assertEquals(handedOver, lease().getMetadata().getResourceVersion(), "the claimant took the turn without a write");
            claimed.close();
            assertEquals(Optional.empty(), TurnLeaseObjects.holder(lease()), "with nobody claiming, the turn is given back");
            fresh.awaitTurn(POOL, Duration.ofSeconds(5)).orElseThrow().close();
        }
    }

    private void awaitClaim() throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            var annotations = lease().getMetadata().getAnnotations();
            if (annotations != null && annotations.containsKey(TurnClaim.ANNOTATION)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the waiter out of patience never claimed the next turn");
    }

    private io.fabric8.kubernetes.api.model.GenericKubernetesResource lease() {
        return cluster.admin.genericKubernetesResources("coordination.k8s.io/v1", "Lease")
                .inNamespace(cluster.namespace).withName(PoolTurnLeases.PREFIX + POOL.objectName()).get();
    }

    @Test
    void aClientThatNeverWaitedLearnsFromItsViewThatAnotherHoldsTheTurn() throws Exception {
        try (KubernetesClient ca = cluster.server.createClient(); KubernetesClient cb = cluster.server.createClient();
                PoolTurnLeases a = new PoolTurnLeases(ca, new ApiTransport(ca), cluster.namespace, Duration.ofMinutes(5), Duration.ofMinutes(5));
                PoolTurnLeases b = new PoolTurnLeases(cb, new ApiTransport(cb), cluster.namespace, Duration.ofMinutes(5), Duration.ofMinutes(5))) {
            assertTrue(!b.turnTakenElsewhere(POOL), "the first question only opens the view");
            ContentionLock.Turn held = a.awaitTurn(POOL, Duration.ofSeconds(2)).orElseThrow();
            assertTrue(eventually(() -> b.turnTakenElsewhere(POOL)), "the view shows the other client's turn");
            assertTrue(!a.turnTakenElsewhere(POOL), "its own turn is not another's");
            held.close();
            assertTrue(eventually(() -> !b.turnTakenElsewhere(POOL)), "a given-back turn is nobody's");
        }
    }

    /** Whether {@code condition} holds within 20 s, asked every 20 ms: views learn through a watch. */
    private static boolean eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 1000; i++) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    private void waitForTurnHandOff(PoolTurnLeases a, PoolTurnLeases b) throws Exception {
        ContentionLock.Turn held = a.awaitTurn(POOL, Duration.ofSeconds(2)).orElseThrow();
        CompletableFuture<Optional<ContentionLock.Turn>> waiting =
                CompletableFuture.supplyAsync(() -> b.awaitTurn(POOL, Duration.ofSeconds(30)), OWN_THREAD);
        // The waiter opens its watch and reads the Lease once; then it only listens.
        int before = settledRequestCount();
        Thread.sleep(1000);
        assertEquals(before, cluster.server.getRequestCount(), "a waiter polled the API server");
        assertTrue(!waiting.isDone(), "the turn is still held");
        held.close();
        Optional<ContentionLock.Turn> next = waiting.get(30, TimeUnit.SECONDS);
        assertTrue(next.isPresent(), "the watch told the waiter that the turn was given back");
        next.get().close();
    }

    /** The server's request count once it stopped moving for half a second. */
    private int settledRequestCount() throws InterruptedException {
        int last = cluster.server.getRequestCount();
        for (int i = 0; i < 40; i++) {
            Thread.sleep(500);
            int now = cluster.server.getRequestCount();
            if (now == last) {
                return now;
            }
            last = now;
        }
        throw new AssertionError("requests kept coming while the turn was held");
    }
}
