package dev.whereabouts.ops.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true, https = false)
class ReconcilerLeaseTest {

    static KubernetesClient client;

    private static final Instant FIRE = Instant.parse("2026-03-01T04:30:00Z");

    private static ReconcilerLease lease(String name, String who, Instant now) {
        return new ReconcilerLease(client, "kube-system", name, who, Duration.ofSeconds(60), Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void oneNodePerFireTimeEvenAfterTheWinnerReleased() {
        ReconcilerLease a = lease("l1", "node-a", FIRE);
        ReconcilerLease b = lease("l1", "node-b", FIRE.plusSeconds(1));
        assertTrue(a.tryAcquire(FIRE));
        assertFalse(b.tryAcquire(FIRE), "held by node-a");
        assertEquals(Optional.of("node-a"), b.holder());
        a.release();
        assertEquals(Optional.empty(), b.holder());
        assertFalse(lease("l1", "node-b", FIRE.plusSeconds(90)).tryAcquire(FIRE), "04:30 already ran");
        assertTrue(lease("l1", "node-b", FIRE.plus(Duration.ofDays(1))).tryAcquire(FIRE.plus(Duration.ofDays(1))));
        Lease stored = client.leases().inNamespace("kube-system").withName("l1").get();
        assertEquals("node-b", stored.getSpec().getHolderIdentity());
        assertEquals(60, stored.getSpec().getLeaseDurationSeconds());
        assertEquals(1, stored.getSpec().getLeaseTransitions());
        assertEquals(FIRE.plus(Duration.ofDays(1)).toString(),
                stored.getMetadata().getAnnotations().get(ReconcilerLease.FIRE_ANNOTATION));
    }

    @Test
    void anExpiredHolderIsTakenOver() {
        assertTrue(lease("l2", "node-a", FIRE).tryAcquire(FIRE));
        // node-a died without releasing; an on-demand run later finds the lease expired
        Instant later = FIRE.plusSeconds(61);
        assertTrue(lease("l2", "node-b", later).tryAcquire(later));
        assertFalse(lease("l2", "node-a", later).renew(), "node-a lost it");
        assertTrue(lease("l2", "node-b", later.plusSeconds(20)).renew());
    }

    @Test
    void aStaleWriteIsRefusedSoTwoNodesCannotBothWin() {
        assertTrue(lease("l3", "node-a", FIRE).tryAcquire(FIRE));
        Lease copy1 = client.leases().inNamespace("kube-system").withName("l3").get();
        Lease copy2 = client.leases().inNamespace("kube-system").withName("l3").get();
        copy1.getSpec().setHolderIdentity("node-b");
        client.leases().inNamespace("kube-system").resource(copy1).update();
        copy2.getSpec().setHolderIdentity("node-c");
        KubernetesClientException e = assertThrows(KubernetesClientException.class,
                () -> client.leases().inNamespace("kube-system").resource(copy2).update());
        assertEquals(409, e.getCode());
    }
}
