package dev.whereabouts.ops.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ops.reconcile.KubernetesPodDirectory;
import dev.whereabouts.ops.reconcile.ReconcileReport;
import dev.whereabouts.ops.reconcile.Reconciler;
import dev.whereabouts.ops.reconcile.ReconcilerOptions;
import dev.whereabouts.store.tck.InMemoryStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Two nodes' schedulers against one store and one cluster: one pass per fire time. */
@EnableKubernetesMockClient(crud = true, https = false)
class ScheduledReconcilerTest {

    static KubernetesClient client;

    private final InMemoryStore store = InMemoryStore.create();
    private final PoolKey pool = PoolKey.of(Cidr.parse("10.9.0.0/24"), "");
    private final Instant start = Instant.parse("2026-03-01T04:00:00Z");

    private ScheduledReconciler node(String name, String lease, AtomicReference<String> cron) {
        Clock clock = Clock.fixed(start, ZoneOffset.UTC);
        Reconciler r = new Reconciler(store.newClient(), new KubernetesPodDirectory(client), ReconcilerOptions.DEFAULTS, clock);
        return new ScheduledReconciler(r, new ReconcilerLease(client, "kube-system", lease, name, Duration.ofSeconds(60),
                clock), cron::get, clock);
    }

    @Test
    void firesAtTheCronTimeOnOneNodeOnly() {
        store.commit(pool, PoolVersion.ABSENT, PoolChange.put(
                new Allocation(IpAddress.parse("10.9.0.1"), new Owner("c1", "net1", "ns/deleted-pod"))));
        AtomicReference<String> cron = new AtomicReference<>("30 4 * * *");
        ScheduledReconciler a = node("node-a", "sched-1", cron);
        ScheduledReconciler b = node("node-b", "sched-1", cron);
        assertEquals(Instant.parse("2026-03-01T04:30:00Z"), a.nextFire());

        assertEquals(Optional.empty(), a.fireIfDue(Instant.parse("2026-03-01T04:29:00Z")));
        Optional<ReconcileReport> ran = a.fireIfDue(Instant.parse("2026-03-01T04:30:00Z"));
        Optional<ReconcileReport> other = b.fireIfDue(Instant.parse("2026-03-01T04:30:02Z"));

        assertTrue(ran.isPresent());
        assertEquals(1, ran.get().removed().size());
        assertEquals(Optional.empty(), other, "node-b must not repeat the 04:30 pass");
        assertTrue(store.read(pool).allocations().isEmpty());
        assertEquals(Instant.parse("2026-03-02T04:30:00Z"), a.nextFire());
        assertEquals(Instant.parse("2026-03-02T04:30:00Z"), b.nextFire());
    }

    @Test
    void aChangedExpressionIsPickedUpAndABadOneIgnored() {
        AtomicReference<String> cron = new AtomicReference<>("30 4 * * *");
        ScheduledReconciler a = node("node-a", "sched-2", cron);
        cron.set("*/10 * * * *");
        a.fireIfDue(Instant.parse("2026-03-01T04:01:00Z"));
        assertEquals("*/10 * * * *", a.schedule().expression());
        assertEquals(Instant.parse("2026-03-01T04:10:00Z"), a.nextFire());
        cron.set("not a schedule");
        a.fireIfDue(Instant.parse("2026-03-01T04:02:00Z"));
        assertEquals("*/10 * * * *", a.schedule().expression());
    }

    @Test
    void theBackgroundThreadStopsOnClose() throws Exception {
        ScheduledReconciler a = node("node-a", "sched-3", new AtomicReference<>("30 4 * * *")).start();
        a.close();
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("whereabouts-reconciler") && t.isAlive()));
    }
}
