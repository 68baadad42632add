package dev.whereabouts.store.etcd;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.spi.ContentionLock;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Turns on a contended pool, across two clients of one real etcd. */
class PoolTurnsTest {

    static final PoolKey POOL = PoolKey.of(Cidr.parse("10.41.0.0/24"), "");
    static final PoolKey OTHER = PoolKey.of(Cidr.parse("10.42.0.0/24"), "");

    private static EtcdServer etcd;
    private final List<IpamStore> opened = new ArrayList<>();
    private final String prefix = "/turns-" + UUID.randomUUID();

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdServer.start();
    }

    @AfterAll
    static void stopEtcd() {
        etcd.stop();
    }

    @AfterEach
    void closeAll() {
        opened.forEach(IpamStore::close);
    }

    private ContentionLock client() {
        IpamStore s = new EtcdStoreProvider().open(new StoreConfig(etcd.config(prefix)));
        opened.add(s);
        return assertInstanceOf(ContentionLock.class, s, "the etcd store offers turns");
    }

    @Test
    void oneClientAtATimeHoldsATurnAndClosingItLetsTheNextIn() {
        ContentionLock a = client();
        ContentionLock b = client();
        Optional<ContentionLock.Turn> first = a.awaitTurn(POOL, Duration.ofSeconds(2));
        assertTrue(first.isPresent(), "a free pool gives a turn at once");
        assertTrue(b.awaitTurn(POOL, Duration.ofMillis(300)).isEmpty(), "a held turn makes the other client wait");
        Optional<ContentionLock.Turn> other = b.awaitTurn(OTHER, Duration.ofSeconds(2));
        assertTrue(other.isPresent(), "turns are per pool");
        other.get().close();
        first.get().close();
        Optional<ContentionLock.Turn> second = b.awaitTurn(POOL, Duration.ofSeconds(2));
        assertTrue(second.isPresent(), "a closed turn lets the next client in");
        second.get().close();
    }
}
