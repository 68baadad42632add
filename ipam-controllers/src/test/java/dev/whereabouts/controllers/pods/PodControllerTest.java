package dev.whereabouts.controllers.pods;

import static dev.whereabouts.controllers.MockApi.allocate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.controllers.MockApi;
import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.engine.StoreProviders;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ops.OpsConfig;
import dev.whereabouts.ops.reconcile.KubernetesPodDirectory;
import dev.whereabouts.ops.reconcile.PodDirectory;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pod controller on the mock API server (CRUD mode, with watches) over the real Kubernetes store:
 * a deleted pod's addresses come back within seconds, with an Event, and nothing else is touched.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class PodControllerTest {

    static final Duration SOON = Duration.ofSeconds(10);
    static KubernetesClient client;

    IpamStore store;
    PodController controller;

    @BeforeAll
    static void cluster() {
        MockApi.installCrds(client);
        MockApi.node(client, "node-a");
        MockApi.node(client, "node-b");
        MockApi.nad(client, "apps", "blue", MockApi.whereabouts("blue", "10.70.0.0/24", ""));
        MockApi.nad(client, "apps", "red", MockApi.whereabouts("red", "10.80.0.0/24", ",\"network_name\":\"red\""));
        MockApi.nad(client, "apps", "dhcp", "{\"cniVersion\":\"0.3.1\",\"name\":\"dhcp\",\"type\":\"macvlan\","
                + "\"ipam\":{\"type\":\"dhcp\"}}");
    }

    @BeforeEach
    void open() throws Exception {
        Path dir = Files.createTempDirectory("pod-controller");
        store = StoreProviders.discovered().open(OpsConfig.read(MockApi.flatFile(client, dir)));
    }

    @AfterEach
    void close() {
        if (controller != null) {
            controller.close();
        }
        store.close();
    }

    private PodController start(PodDirectory pods) {
        // The mock matches no pod on a spec.nodeName field selector; the controller's own node check is
        // what keeps node-b's pods out here.
        controller = new PodController(client, store, pods, "node-a", Duration.ofMillis(100), false).start();
        return controller;
    }

    private Set<IpAddress> held(PoolKey key) {
        return store.read(key).allocations().keySet();
    }

    private List<Reservation> reservationsOf(String podRef) {
        return store.reservations().stream().filter(r -> r.owner().podRef().equals(podRef)).toList();
    }

    private static List<Event> events(String ns, String pod) {
        return client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> e.getInvolvedObject().getName().equals(pod)).toList();
    }

    private static void delete(String ns, String name) {
        client.pods().inNamespace(ns).withName(name).delete();
    }

    @Test
    void aDeletedPodsAddressesComeBackWithinSecondsWithAnEvent() {
        PoolKey blue = PoolKey.of(Cidr.parse("10.70.0.0/24"), "");
        PoolKey red = PoolKey.of(Cidr.parse("10.80.0.0/24"), "red");
        allocate(store, blue, "10.70.0.5", new Owner("c1", "net1", "apps/web"));
        allocate(store, red, "10.80.0.5", new Owner("c1", "net2", "apps/web"));
        allocate(store, blue, "10.70.0.6", new Owner("c9", "net1", "apps/other"));
        MockApi.pod(client, "apps", "web", "node-a", "apps/blue", "net1", "10.70.0.5");
        client.pods().inNamespace("apps").withName("web").edit(p -> {
            p.getMetadata().getAnnotations().put("k8s.v1.cni.cncf.io/network-status",
                    "[{\"name\":\"apps/blue\",\"interface\":\"net1\",\"ips\":[\"10.70.0.5\"]},"
                            + "{\"name\":\"apps/red\",\"interface\":\"net2\",\"ips\":[\"10.80.0.5\"]}]");
            return p;
        });
        start(new KubernetesPodDirectory(client));
        double releasedBefore = releasedCount();

        delete("apps", "web");

        assertTrue(MockApi.await(SOON, () -> !held(blue).contains(IpAddress.parse("10.70.0.5"))
                && held(red).isEmpty() && reservationsOf("apps/web").isEmpty()), "released within seconds");
        assertTrue(MockApi.await(SOON, () -> releasedCount() - releasedBefore == 2), "both counted for /metrics");
        assertEquals(Set.of(IpAddress.parse("10.70.0.6")), held(blue), "another pod's entry stays");
        assertTrue(MockApi.await(SOON, () -> events("apps", "web").size() == 2));
        List<Event> events = events("apps", "web");
        assertTrue(events.stream().allMatch(e -> e.getReason().equals("IPAddressGarbageCollected")
                && e.getType().equals("Normal") && e.getInvolvedObject().getKind().equals("Pod")), events.toString());
        assertTrue(events.stream().anyMatch(e -> e.getMessage()
                .equals("successful cleanup of IP address [10.70.0.5] from network apps/blue")), events.toString());
    }

    /** The pod controller's line of the process registry that /metrics serves. */
    private static double releasedCount() {
        String prefix = "whereabouts_addresses_released_total{controller=\"pods\",reason=\"pod_deleted\"} ";
        return dev.whereabouts.metrics.Metrics.registry().scrape().lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(prefix.length()))).sum();
    }

    @Test
    void podsOfOtherNodesGoneNadsAndOtherIpamsAreLeftAlone() {
        PoolKey blue = PoolKey.of(Cidr.parse("10.70.0.0/24"), "");
        allocate(store, blue, "10.70.0.20", new Owner("c2", "net1", "apps/elsewhere"));
        allocate(store, blue, "10.70.0.21", new Owner("c3", "net1", "apps/orphaned"));
        allocate(store, blue, "10.70.0.22", new Owner("c4", "net1", "apps/dhcp-user"));
        allocate(store, blue, "10.70.0.23", new Owner("c5", "net1", "apps/marker"));
        MockApi.pod(client, "apps", "elsewhere", "node-b", "apps/blue", "net1", "10.70.0.20");
        MockApi.nad(client, "apps", "doomed", MockApi.whereabouts("doomed", "10.70.0.0/24", ""));
        MockApi.pod(client, "apps", "orphaned", "node-a", "apps/doomed", "net1", "10.70.0.21");
        MockApi.pod(client, "apps", "dhcp-user", "node-a", "apps/dhcp", "net1", "10.70.0.22");
        MockApi.pod(client, "apps", "marker", "node-a", "apps/blue", "net1", "10.70.0.23");
        start(new KubernetesPodDirectory(client));

        dev.whereabouts.ops.nad.Nads.of(client).inNamespace("apps").withName("doomed").delete();
        delete("apps", "elsewhere");
        delete("apps", "orphaned");
        delete("apps", "dhcp-user");
        // One worker takes deletions in order: once the marker's address is gone, the others were judged.
        delete("apps", "marker");

        assertTrue(MockApi.await(SOON, () -> !held(blue).contains(IpAddress.parse("10.70.0.23"))));
        assertTrue(held(blue).containsAll(Set.of(IpAddress.parse("10.70.0.20"), IpAddress.parse("10.70.0.21"),
                IpAddress.parse("10.70.0.22"))), held(blue).toString());
        assertEquals(1, reservationsOf("apps/orphaned").size());
        assertEquals(List.of(), events("apps", "orphaned"));
    }

    @Test
    void aPodRecreatedUnderTheSameNameKeepsItsAddress() throws Exception {
        PoolKey blue = PoolKey.of(Cidr.parse("10.70.0.0/24"), "");
        allocate(store, blue, "10.70.0.30", new Owner("old", "net1", "apps/db-0"));
        MockApi.pod(client, "apps", "db-0", "node-a", "apps/blue", "net1", "10.70.0.30");
        CountDownLatch recreated = new CountDownLatch(1);
        PodDirectory real = new KubernetesPodDirectory(client);
        // The controller looks the name up only after the StatefulSet has brought the pod back elsewhere.
        start(ref -> {
            try {
                recreated.await(SOON.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return real.find(ref);
        });

        delete("apps", "db-0");
        MockApi.pod(client, "apps", "db-0", "node-b", "apps/blue", "net1", "10.70.0.30");
        // The new pod's ADD moved the entry to its sandbox.
        store.read(blue);
        allocate(store, blue, "10.70.0.30", new Owner("new", "net1", "apps/db-0"));
        recreated.countDown();

        allocate(store, blue, "10.70.0.31", new Owner("m", "net1", "apps/marker2"));
        MockApi.pod(client, "apps", "marker2", "node-a", "apps/blue", "net1", "10.70.0.31");
        delete("apps", "marker2");
        assertTrue(MockApi.await(SOON, () -> !held(blue).contains(IpAddress.parse("10.70.0.31"))));
        assertEquals(new Owner("new", "net1", "apps/db-0"), store.read(blue).allocations().get(IpAddress.parse("10.70.0.30")));
        assertEquals(1, reservationsOf("apps/db-0").size());
    }

    @Test
    void nodeSlicePoolsAreReleasedToo() {
        MockApi.nad(client, "apps", "sliced", MockApi.whereabouts("sliced", "10.90.0.0/24", ",\"node_slice_size\":\"/26\""));
        // One pool as our plugin names it (node annotation), one as upstream's (name only).
        PoolKey ours = new PoolKey(Cidr.parse("10.90.0.0/26"), "", "node-a");
        PoolKey upstreams = PoolKey.of(Cidr.parse("10.90.0.64/26"), "node-b");
        allocate(store, ours, "10.90.0.5", new Owner("c1", "net1", "apps/sliced-pod"));
        allocate(store, upstreams, "10.90.0.70", new Owner("c1", "net2", "apps/sliced-pod"));
        MockApi.pod(client, "apps", "sliced-pod", "node-a", "apps/sliced", "net1", "10.90.0.5");
        client.pods().inNamespace("apps").withName("sliced-pod").edit(p -> {
            p.getMetadata().getAnnotations().put("k8s.v1.cni.cncf.io/network-status",
                    "[{\"name\":\"apps/sliced\",\"interface\":\"net1\",\"ips\":[\"10.90.0.5\"]},"
                            + "{\"name\":\"apps/sliced\",\"interface\":\"net2\",\"ips\":[\"10.90.0.70\"]}]");
            return p;
        });
        start(new KubernetesPodDirectory(client));

        delete("apps", "sliced-pod");

        assertTrue(MockApi.await(SOON, () -> held(ours).isEmpty() && held(upstreams).isEmpty()
                && reservationsOf("apps/sliced-pod").isEmpty()));
    }

    @Test
    void aReleaseThatKeepsFailingEndsWithAWarningEvent() {
        PoolKey blue = PoolKey.of(Cidr.parse("10.70.0.0/24"), "");
        allocate(store, blue, "10.70.0.40", new Owner("c1", "net1", "apps/unlucky"));
        MockApi.pod(client, "apps", "unlucky", "node-a", "apps/blue", "net1", "10.70.0.40");
        start(ref -> {
            throw new dev.whereabouts.ipam.api.StoreUnavailableException("API server away", null);
        });

        delete("apps", "unlucky");

        assertTrue(MockApi.await(SOON, () -> events("apps", "unlucky").stream()
                .anyMatch(e -> e.getReason().equals("IPAddressGarbageCollectionFailed") && e.getType().equals("Warning")
                        && e.getMessage().equals("failed to garbage collect addresses for pod apps/unlucky"))));
        assertTrue(held(blue).contains(IpAddress.parse("10.70.0.40")), "left for the reconciler");
    }

    @Test
    void aNodeNameThatNamesNoNodeIsAStartUpError() {
        PodController wrong = new PodController(client, store, new KubernetesPodDirectory(client), "no-such-node",
                Duration.ofMillis(100));
        IllegalStateException e = assertThrows(IllegalStateException.class, wrong::start);
        assertTrue(e.getMessage().contains("no-such-node"), e.getMessage());
    }
}
