package dev.whereabouts.store.etcd;

import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import dev.whereabouts.store.tck.StoreContract;
import dev.whereabouts.store.tck.StoreFixture;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The store contract kit against a real etcd: one server, a fresh key prefix per law. */
class EtcdStoreContractTest extends StoreContract {

    private static EtcdServer etcd;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdServer.start();
    }

    @AfterAll
    static void stopEtcd() {
        etcd.stop();
    }

    @Override
    protected StoreFixture createFixture() {
        String prefix = "/tck-" + UUID.randomUUID();
        EtcdStoreProvider provider = new EtcdStoreProvider();
        return new StoreFixture() {
            @Override
            public IpamStore open() {
                Map<String, Object> config = etcd.config(prefix);
                config.put("etcd_watch_pools", true); // so that the feed laws hold it to delivering
                return provider.open(new StoreConfig(config));
            }

            @Override
            public void close() {
                etcd.deletePrefix(prefix);
            }
        };
    }

    @Override
    public boolean followsPools() {
        return true;
    }
}
