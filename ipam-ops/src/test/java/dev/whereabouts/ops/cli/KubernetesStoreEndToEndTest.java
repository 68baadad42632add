package dev.whereabouts.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.engine.StoreProviders;
import dev.whereabouts.ipam.spi.CommitOutcome;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ops.OpsConfig;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI and the reconciler over the real Kubernetes store ({@code datastore: kubernetes}) on the mock
 * API server with our CRDs installed: the whole path a cluster runs, objects included.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class KubernetesStoreEndToEndTest {

    static KubernetesClient client;

    @TempDir
    Path dir;

    @BeforeAll
    static void crds() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("..", "deploy", "crds"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
                    client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
                }
            }
        }
    }

    private Path config() throws Exception {
        Path kubeconfig = dir.resolve("whereabouts.kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: local
                  cluster: {server: "%s"}
                users:
                - name: whereabouts
                  user: {token: "t"}
                contexts:
                - name: whereabouts-context
                  context: {cluster: local, user: whereabouts, namespace: kube-system}
                current-context: whereabouts-context
                """.formatted(client.getConfiguration().getMasterUrl()));
        Path conf = dir.resolve("whereabouts.conf");
        Files.writeString(conf, "{\"datastore\":\"kubernetes\",\"kubernetes\":{\"kubeconfig\":\"" + kubeconfig + "\"}}");
        return conf;
    }

    private static void allocate(IpamStore store, PoolKey key, String ip, Owner owner) {
        var s = store.read(key);
        var a = new Allocation(IpAddress.parse(ip), owner);
        CommitOutcome o = store.commit(key, s.version(), new PoolChange(List.of(a), List.of(),
                List.of(new Reservation(key.networkName(), a.ip(), owner)), List.of()));
        assertTrue(o instanceof CommitOutcome.Committed, o.toString());
    }

    private static List<String> reservationObjects() {
        return client.genericKubernetesResources("whereabouts.cni.cncf.io/v1alpha1", "OverlappingRangeIPReservation")
                .inNamespace("kube-system").list().getItems().stream()
                .map(GenericKubernetesResource::getMetadata).map(m -> m.getName()).sorted().toList();
    }

    @Test
    void reconcilesANamedNetworkWithoutTouchingLivePodsReservations() throws Exception {
        Path conf = config();
        PoolKey pool = PoolKey.of(Cidr.parse("10.60.0.0/24"), "net1");
        try (IpamStore store = StoreProviders.discovered().open(OpsConfig.read(conf))) {
            allocate(store, pool, "10.60.0.1", new Owner("c-live", "net1", "apps/live"));
            allocate(store, pool, "10.60.0.2", new Owner("c-gone", "net1", "apps/gone"));
        }
        client.pods().inNamespace("apps").resource(new PodBuilder()
                .withMetadata(new ObjectMetaBuilder().withName("live").withNamespace("apps").withAnnotations(Map.of(
                        "k8s.v1.cni.cncf.io/network-status",
                        "[{\"name\":\"cbr0\",\"ips\":[\"10.244.0.9\"],\"default\":true},"
                                + "{\"name\":\"apps/net1\",\"interface\":\"net1\",\"ips\":[\"10.60.0.1\"]}]")).build())
                .withNewStatus().withPhase("Running").endStatus().build()).create();
        assertEquals(List.of("net1-10.60.0.1", "net1-10.60.0.2"), reservationObjects());

        CtlTest.Result pools = CtlTest.ctl("--config", conf.toString(), "pools");
        assertEquals(0, pools.code(), pools.err());
        assertTrue(pools.out().contains("net1-10.60.0.0-24  10.60.0.0/24  net1"), pools.out());

        // The pods were created just now: without --pod-grace 0 the live one would be deferred anyway.
        CtlTest.Result run = CtlTest.ctl("--config", conf.toString(), "reconcile", "--pod-grace", "0");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("apps/gone"), run.out());

        try (IpamStore store = StoreProviders.discovered().open(OpsConfig.read(conf))) {
            assertEquals(List.of(IpAddress.parse("10.60.0.1")), List.copyOf(store.read(pool).allocations().keySet()));
        }
        // Upstream's reconciler deleted named-network reservations of live pods; ours keeps them.
        assertEquals(List.of("net1-10.60.0.1"), reservationObjects());

        CtlTest.Result again = CtlTest.ctl("--config", conf.toString(), "reconcile", "--dry-run", "--pod-grace", "0");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().startsWith("nothing to do"), again.out());
    }

    @Test
    void aReservationWithoutItsPoolEntryIsRestoredForTheLivePodThatListsIt() throws Exception {
        Path conf = config();
        PoolKey pool = PoolKey.of(Cidr.parse("10.61.0.0/24"), "");
        Owner owner = new Owner("", "net1", "apps/survivor");
        try (IpamStore store = StoreProviders.discovered().open(OpsConfig.read(conf))) {
            allocate(store, pool, "10.61.0.1", new Owner("c-other", "net1", "apps/other"));
            // Upstream's defect (compat notes 15.2): the reservation was created, the pool write was lost.
            var s = store.read(pool);
            assertTrue(store.commit(pool, s.version(), new PoolChange(List.of(), List.of(),
                    List.of(new Reservation("", IpAddress.parse("10.61.0.2"), owner)), List.of()))
                    instanceof CommitOutcome.Committed);
        }
        client.pods().inNamespace("apps").resource(new PodBuilder()
                .withMetadata(new ObjectMetaBuilder().withName("survivor").withNamespace("apps").withAnnotations(Map.of(
                        "k8s.v1.cni.cncf.io/network-status",
                        "[{\"name\":\"apps/net\",\"interface\":\"net1\",\"ips\":[\"10.61.0.2\"]}]")).build())
                .withNewStatus().withPhase("Running").endStatus().build()).create();

        CtlTest.Result run = CtlTest.ctl("--config", conf.toString(), "reconcile", "--pod-grace", "0");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("restored") && run.out().contains("10.61.0.2"), run.out());
        try (IpamStore store = StoreProviders.discovered().open(OpsConfig.read(conf))) {
            assertEquals(owner, store.read(pool).allocations().get(IpAddress.parse("10.61.0.2")));
        }
        assertTrue(reservationObjects().contains("10.61.0.2"), "the live pod's reservation stays");
    }
}
