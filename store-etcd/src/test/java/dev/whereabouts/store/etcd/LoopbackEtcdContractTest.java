package dev.whereabouts.store.etcd;

import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import dev.whereabouts.store.tck.StoreContract;
import dev.whereabouts.store.tck.StoreFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The store contract kit against the warm-up's stand-in etcd: the store behaves on it as on a real
 * etcd, so the warm-up runs the code paths real calls take, not error paths.
 */
class LoopbackEtcdContractTest extends StoreContract {

    @Override
    protected StoreFixture createFixture() {
        LoopbackEtcd etcd;
        try {
            etcd = LoopbackEtcd.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        EtcdStoreProvider provider = new EtcdStoreProvider();
        return new StoreFixture() {
            @Override
            public IpamStore open() {
                return provider.open(new StoreConfig(Map.of("etcd_host", etcd.endpoint(), "etcd_prefix", "/tck",
                        "etcd_watch_pools", true)));
            }

            @Override
            public void close() {
                etcd.close();
            }
        };
    }

    @Override
    public boolean followsPools() {
        return true;
    }
}
