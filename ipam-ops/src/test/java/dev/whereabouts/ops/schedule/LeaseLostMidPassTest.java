package dev.whereabouts.ops.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolSnapshot;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.spi.CommitOutcome;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ops.StepClock;
import dev.whereabouts.ops.reconcile.KubernetesPodDirectory;
import dev.whereabouts.ops.reconcile.ReconcileReport;
import dev.whereabouts.ops.reconcile.Reconciler;
import dev.whereabouts.ops.reconcile.ReconcilerOptions;
import dev.whereabouts.store.tck.InMemoryStore;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A reconciler that loses its Lease in the middle of a pass stops writing. */
@EnableKubernetesMockClient(crud = true, https = false)
class LeaseLostMidPassTest {

    static KubernetesClient client;


    /** Before its first commit returns, another node takes the Lease and time moves on. */
    static final class StealingStore implements IpamStore {
        final IpamStore d;
        final Runnable steal;
        boolean stolen;

        StealingStore(IpamStore d, Runnable steal) {
            this.d = d;
            this.steal = steal;
        }

        @Override public PoolSnapshot read(PoolKey key) { return d.read(key); }
        @Override public List<PoolKey> pools() { return d.pools(); }
        @Override public List<Reservation> reservations() { return d.reservations(); }
        @Override public boolean removeReservation(Reservation r) { return d.removeReservation(r); }
        @Override public void checkAvailable() { d.checkAvailable(); }
        @Override public void close() { d.close(); }

        @Override
        public CommitOutcome commit(PoolKey key, PoolVersion expected, PoolChange change) {
            CommitOutcome o = d.commit(key, expected, change);
            if (!stolen) {
                stolen = true;
                steal.run();
            }
            return o;
        }
    }

    @Test
    void stopsBeforeTheNextPoolOnceTheLeaseIsGone() {
        InMemoryStore store = InMemoryStore.create();
        PoolKey p1 = PoolKey.of(Cidr.parse("10.11.0.0/24"), "");
        PoolKey p2 = PoolKey.of(Cidr.parse("10.12.0.0/24"), "");
        for (PoolKey k : List.of(p1, p2)) {
            store.commit(k, PoolVersion.ABSENT, PoolChange.put(new Allocation(
                    k.range().network().next(), new Owner("c", "net1", "ns/gone-" + k.objectName()))));
        }
        StepClock clock = new StepClock();
        ReconcilerLease lease = new ReconcilerLease(client, "kube-system", "lost-1", "node-a", Duration.ofSeconds(60), clock);
        IpamStore stealing = new StealingStore(store.newClient(), () -> {
            Lease l = client.leases().inNamespace("kube-system").withName("lost-1").get();
            l.getSpec().setHolderIdentity("node-b");
            client.leases().inNamespace("kube-system").resource(l).update();
            clock.advance(Duration.ofSeconds(30));
        });
        Reconciler reconciler = new Reconciler(stealing, new KubernetesPodDirectory(client), ReconcilerOptions.DEFAULTS, clock);

        ReconcileReport report = ScheduledReconciler.runLeased(reconciler, lease, clock, clock.instant(), false).orElseThrow();

        assertEquals(1, report.removed().size());
        assertTrue(report.failures().getFirst().contains("lease lost"), report.failures().toString());
        int left = store.read(p1).allocations().size() + store.read(p2).allocations().size();
        assertEquals(1, left);
        // The release does not take the Lease back from its new holder.
        assertEquals("node-b", client.leases().inNamespace("kube-system").withName("lost-1").get().getSpec().getHolderIdentity());
    }
}
