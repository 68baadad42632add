package dev.whereabouts.store.etcd;

import static dev.whereabouts.store.etcd.EtcdStoreTest.add;
import static dev.whereabouts.store.etcd.EtcdStoreTest.committed;
import static dev.whereabouts.store.etcd.EtcdStoreTest.owner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.api.StoreUnavailableException;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import org.junit.jupiter.api.Test;

/**
 * After an outage long enough for gRPC's reconnect back-off to grow to seconds, the first call
 * made once etcd is healthy again succeeds: it does not get the stale "Connection refused". Several
 * outages in a row, because the race this guards (the reset back-off only schedules the attempt)
 * lost only now and then in a single one.
 */
class ReconnectTest {

    private static final PoolKey POOL = PoolKey.of(Cidr.parse("10.71.0.0/24"), "");

    @Test
    void theFirstCallAfterEtcdIsBackSucceeds() {
        try (EtcdServer etcd = EtcdServer.start();
                IpamStore store = new EtcdStoreProvider().open(new StoreConfig(etcd.config("/reconnect")))) {
            PoolVersion v = committed(store.commit(POOL, PoolVersion.ABSENT, add(POOL, "10.71.0.1", owner(1))));
            for (int outage = 1; outage <= 4; outage++) {
                etcd.kill();
                // Calls during the outage: each refused connect lengthens gRPC's back-off (1 s, 1.6 s, 2.6 s...).
                for (int i = 0; i < 6; i++) {
                    assertThrows(StoreUnavailableException.class, () -> store.read(POOL));
                    EtcdServer.sleep(300);
                }
                etcd.restart(); // returns once etcd answers /health
                assertEquals(v, store.read(POOL).version(), "first read after outage " + outage);
            }
        }
    }
}
