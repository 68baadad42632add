package dev.whereabouts.store.kubernetes;

import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.store.tck.StoreContract;
import dev.whereabouts.store.tck.StoreFixture;

/** The store kit's laws against the Kubernetes store on a fresh CRUD mock API server per law. */
class KubernetesStoreContractTest extends StoreContract {

    @Override
    protected StoreFixture createFixture() {
        MockCluster cluster = new MockCluster("tck");
        return new StoreFixture() {
            @Override
            public IpamStore open() {
                return cluster.open();
            }

            @Override
            public void close() {
                cluster.close();
            }
        };
    }
}
