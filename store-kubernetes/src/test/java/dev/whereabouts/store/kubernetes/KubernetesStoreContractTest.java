package dev.whereabouts.store.kubernetes;

import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.store.tck.StoreContract;
import dev.whereabouts.store.tck.StoreFixture;

/**
 * The store kit's laws against the Kubernetes store on a fresh CRUD mock API server per law, with
 * {@code watch_pools} on so that the feed laws hold it to delivering (every other test of this
 * module runs the default, without watches).
 */
class KubernetesStoreContractTest extends StoreContract {

    @Override
    protected StoreFixture createFixture() {
        MockCluster cluster = new MockCluster("tck");
        return new StoreFixture() {
            @Override
            public IpamStore open() {
                return cluster.open(true);
            }

            @Override
            public void close() {
                cluster.close();
            }
        };
    }

    @Override
    public boolean followsPools() {
        return true;
    }
}
