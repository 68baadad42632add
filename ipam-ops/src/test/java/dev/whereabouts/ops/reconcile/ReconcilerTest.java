package dev.whereabouts.ops.reconcile;

import static dev.whereabouts.ops.reconcile.StoreFill.allocate;
import static dev.whereabouts.ops.reconcile.StoreFill.ip;
import static dev.whereabouts.ops.reconcile.StoreFill.owner;
import static dev.whereabouts.ops.reconcile.StoreFill.pool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.store.tck.InMemoryStore;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reconciler against the fabric8 mock server (CRUD mode) holding pods in every state, and the
 * in-memory reference store.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class ReconcilerTest {

    static KubernetesClient client;
    private static Instant serverNow;

    private final InMemoryStore store = InMemoryStore.create();
    private final PoolKey pool = pool("10.0.0.0/24", "");

    @BeforeAll
    static void cluster() throws InterruptedException {
        Instant t = Instant.now();
        create(Pods.pod("ns", "doomed", "u-doomed", "Running", t, Pods.networkStatus("10.244.0.13", "10.0.0.13")));
        create(Pods.pod("ns", "web-1", "u-web", "Running", t, Pods.networkStatus("10.244.0.1", "10.0.0.1")));
        create(Pods.pod("ns", "moved", "u-moved", "Running", t, Pods.networkStatus("10.244.0.3", "10.0.0.33")));
        Pod term = create(Pods.pod("ns", "term", "u-term", "Running", t, Pods.networkStatus("10.244.0.4", "10.0.0.4")));
        Pod evicted = create(Pods.pod("ns", "evicted", "u-ev", "Running", t, Pods.networkStatus("10.244.0.5", "10.0.0.5")));
        create(Pods.pod("ns", "pending", "u-pend", "Pending", t, null));
        create(Pods.pod("ns", "nostatus", "u-nost", "Running", t, null));
        create(Pods.pod("ns", "sts-0", "u-sts-new", "Running", t, Pods.networkStatus("10.244.0.9", "10.0.0.10")));
        create(Pods.pod("ns", "primary", "u-prim", "Running", t, Pods.networkStatus("10.0.0.12")));
        // A finalizer keeps a deleted pod around as "terminating", as on a real API server.
        markTerminating(term, false);
        markTerminating(evicted, true);
        // The young pod must be created in a later second than the others (timestamps have 1 s resolution).
        Thread.sleep(2100);
        Pod young = create(Pods.pod("ns", "young", "u-young", "Running", t, Pods.networkStatus("10.244.0.7", "10.0.0.77")));
        serverNow = Instant.parse(young.getMetadata().getCreationTimestamp());
    }

    @BeforeEach
    void fillPool() {
        allocate(store, pool, "10.0.0.1", owner("c-web", "ns/web-1"));
        allocate(store, pool, "10.0.0.2", owner("c-gone", "ns/gone"));
        allocate(store, pool, "10.0.0.3", owner("c-moved", "ns/moved"));
        allocate(store, pool, "10.0.0.4", owner("c-term", "ns/term"));
        allocate(store, pool, "10.0.0.5", owner("c-ev", "ns/evicted"));
        allocate(store, pool, "10.0.0.6", owner("c-pend", "ns/pending"));
        allocate(store, pool, "10.0.0.7", owner("c-young", "ns/young"));
        allocate(store, pool, "10.0.0.8", owner("c-nost", "ns/nostatus"));
        allocate(store, pool, "10.0.0.9", owner("c-sts-old", "ns/sts-0"));
        allocate(store, pool, "10.0.0.10", owner("c-sts-new", "ns/sts-0"));
        allocate(store, pool, "10.0.0.11", new Owner("c-host", "eth1", ""));
        allocate(store, pool, "10.0.0.12", owner("c-prim", "ns/primary"));
    }

    private static Pod create(Pod pod) {
        return client.pods().inNamespace("ns").resource(pod).create();
    }

    private static void markTerminating(Pod pod, boolean taintManager) {
        Pod p = client.pods().inNamespace("ns").withName(pod.getMetadata().getName()).get();
        Pods.terminating(p, Instant.now(), taintManager);
        p.getMetadata().setDeletionTimestamp(null);
        client.pods().inNamespace("ns").resource(p).update();
        client.pods().inNamespace("ns").withName(pod.getMetadata().getName()).delete();
    }

    private Reconciler reconciler(Clock clock) {
        // Grace of one second: pods created before the young one are past it, the young one is not.
        return new Reconciler(store, new KubernetesPodDirectory(client),
                ReconcilerOptions.DEFAULTS.withPodGrace(Duration.ofSeconds(1)).withLeftoverGrace(Duration.ofMinutes(2)),
                clock);
    }

    private Map<String, String> allocations() {
        return store.read(pool).allocations().entrySet().stream().collect(Collectors.toMap(
                e -> e.getKey().toString(), e -> e.getValue().podRef(), (a, b) -> a, TreeMap::new));
    }

    private Set<IpAddress> reservedIps() {
        return store.reservations().stream().map(Reservation::ip).collect(Collectors.toSet());
    }

    @Test
    void removesOnlyWhatNoPodUsesAndLeavesPodsThatAreStillStarting() {
        ReconcileReport report = reconciler(Clock.fixed(serverNow, ZoneOffset.UTC)).run();

        assertTrue(report.ok(), report.failures().toString());
        assertEquals(Set.of("10.0.0.2", "10.0.0.3", "10.0.0.5", "10.0.0.9"),
                report.removed().stream().map(r -> r.allocation().ip().toString()).collect(Collectors.toSet()));
        assertEquals(Map.of("10.0.0.1", "ns/web-1", "10.0.0.4", "ns/term", "10.0.0.6", "ns/pending",
                "10.0.0.7", "ns/young", "10.0.0.8", "ns/nostatus", "10.0.0.10", "ns/sts-0",
                "10.0.0.11", "", "10.0.0.12", "ns/primary"), allocations());
        // Reservations leave with their allocations, in the same commit.
        assertEquals(Set.of(ip("10.0.0.1"), ip("10.0.0.4"), ip("10.0.0.6"), ip("10.0.0.7"), ip("10.0.0.8"),
                ip("10.0.0.10"), ip("10.0.0.11"), ip("10.0.0.12")), reservedIps());
        assertEquals(1, report.unmanagedSkipped());
        assertEquals(12, report.allocationsScanned());
        Map<String, String> keptReasons = report.kept().stream().collect(Collectors.toMap(
                r -> r.allocation().ip().toString(), ReconcileReport.Removal::reason));
        assertEquals(Set.of("10.0.0.6", "10.0.0.7", "10.0.0.8"), keptReasons.keySet());
        assertTrue(keptReasons.get("10.0.0.6").contains("pending"));
        assertTrue(keptReasons.get("10.0.0.7").contains("younger"));
        assertTrue(keptReasons.get("10.0.0.8").contains("network-status"));
    }

    @Test
    void theSecondPassFindsNothingMore() {
        Reconciler r = reconciler(Clock.fixed(serverNow, ZoneOffset.UTC));
        r.run();
        ReconcileReport again = r.run();
        assertEquals(List.of(), again.removed());
    }

    @Test
    void withTheDefaultGraceEveryFreshPodKeepsItsAddresses() {
        Reconciler r = new Reconciler(store, new KubernetesPodDirectory(client), ReconcilerOptions.DEFAULTS,
                Clock.fixed(serverNow, ZoneOffset.UTC));
        ReconcileReport report = r.run();
        // Only the allocations without any pod, and the evicted pod's, go: every other pod is minutes old.
        assertEquals(Set.of("10.0.0.2", "10.0.0.5"),
                report.removed().stream().map(x -> x.allocation().ip().toString()).collect(Collectors.toSet()));
    }

    @Test
    void dryRunReportsAndWritesNothing() {
        Map<String, String> before = allocations();
        ReconcileReport report = reconciler(Clock.fixed(serverNow, ZoneOffset.UTC)).dryRun();
        assertTrue(report.dryRun());
        assertEquals(4, report.removed().size());
        assertEquals(before, allocations());
        assertEquals(12, store.reservations().size());
    }

    @Test
    void retriesOnConflictsLikeTheEngineAndKeepsConcurrentAllocations() {
        InMemoryStore otherNode = store.newClient();
        int[] next = {100};
        IpamStore racing = new InterleavingStore(store.newClient(), 3,
                () -> allocate(otherNode, pool, "10.0.0." + next[0]++, owner("c-new", "ns/web-1")));
        ReconcileReport report = new Reconciler(racing, new KubernetesPodDirectory(client),
                ReconcilerOptions.DEFAULTS.withPodGrace(Duration.ofSeconds(1)), Clock.fixed(serverNow, ZoneOffset.UTC)).run();
        assertTrue(report.ok(), report.failures().toString());
        assertEquals(4, report.removed().size());
        // 8 survivors plus the three addresses the other node allocated while the reconciler retried.
        assertEquals(11, allocations().size());
        assertTrue(allocations().keySet().containsAll(Set.of("10.0.0.100", "10.0.0.101", "10.0.0.102")));
    }

    @Test
    void givesUpOnAPoolAfterTheConfiguredAttemptsAndSaysSo() {
        InMemoryStore otherNode = store.newClient();
        int[] next = {100};
        IpamStore racing = new InterleavingStore(store.newClient(), 1000,
                () -> allocate(otherNode, pool, "10.0.0." + next[0]++, owner("c-new", "ns/web-1")));
        ReconcileReport report = new Reconciler(racing, new KubernetesPodDirectory(client),
                new ReconcilerOptions(Duration.ofSeconds(1), Duration.ofMinutes(2), 3),
                Clock.fixed(serverNow, ZoneOffset.UTC)).run();
        assertEquals(List.of("pool 10.0.0.0-24: still conflicting after 3 attempts"), report.failures());
        assertEquals(List.of(), report.removed());
    }

    @Test
    void aPodDeletedAfterThePassStartedIsJudgedByWhatWasRead() {
        allocate(store, pool, "10.0.0.13", owner("c-doomed", "ns/doomed"));
        Reconciler r = reconciler(Clock.fixed(serverNow, ZoneOffset.UTC));
        assertEquals(4, r.dryRun().removed().size());
        client.pods().inNamespace("ns").withName("doomed").delete();
        ReconcileReport report = r.run();
        assertTrue(report.removed().stream().anyMatch(x -> x.allocation().ip().equals(ip("10.0.0.13"))));
        assertEquals(8, allocations().size());
    }
}
