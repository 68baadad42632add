package dev.whereabouts.store.kubernetes;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolKey;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What a test of one store on the mock API server starts from: a fresh cluster for each test
 * ({@link #newCluster}), a store opened on it through its kubeconfig, and raw reads of the objects
 * it wrote.
 */
abstract class MockStoreFixture {

    static final PoolKey POOL = PoolKey.of(Cidr.parse("10.11.88.96/28"), "");
    static final Owner A = new Owner("ctr-a", "net1", "default/pod-a");
    static final Owner B = new Owner("ctr-b", "net1", "default/pod-b");

    MockCluster cluster;
    KubernetesIpamStore store;

    @BeforeEach
    void start() {
        cluster = newCluster();
        store = cluster.open();
    }

    /** The cluster of each test: in CRUD mode, with the store's namespace in its kubeconfig. */
    MockCluster newCluster() {
        return new MockCluster("whereabouts-test");
    }

    @AfterEach
    void stop() {
        store.close();
        cluster.close();
    }

    static IpAddress ip(String s) {
        return IpAddress.parse(s);
    }

    GenericKubernetesResource rawPool(String name) {
        return raw(Kinds.IP_POOL, name);
    }

    GenericKubernetesResource rawReservation(String name) {
        return raw(Kinds.RESERVATION, name);
    }

    private GenericKubernetesResource raw(ResourceDefinitionContext kind, String name) {
        return cluster.admin.genericKubernetesResources(kind).inNamespace(cluster.namespace).withName(name).get();
    }
}
