package dev.whereabouts.store.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.spi.ContentionLock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Turns on a contended pool through per-pool Leases, across two store clients of one mock API server. */
class PoolTurnLeasesTest {

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
}
