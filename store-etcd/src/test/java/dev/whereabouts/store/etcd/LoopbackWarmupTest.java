package dev.whereabouts.store.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.spi.CommitOutcome;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The start-up warm-up drives the real store client over gRPC against the process's own stand-in
 * etcd, through the paths of a burst (turns, pool commits, a lost race and a read), and leaves
 * nothing behind but the empty pool.
 */
class LoopbackWarmupTest {

    @Test
    void everyCycleTakesATurnAndCommitsAnAddAndADel() {
        Map<String, Long> counts = Arrays.stream(LoopbackWarmup.run(10).split(" ")).map(kv -> kv.split("="))
                .collect(Collectors.toMap(kv -> kv[0], kv -> Long.parseLong(kv[1])));
        // per cycle four writes: the lock key, the ADD's commit, the DEL's commit, the unlock;
        // the lost races write nothing
        assertEquals(1 + 4 * 10, counts.get("revision"), counts.toString());
        assertEquals(1, counts.get("keys"), "only the pool's meta key stays: " + counts);
    }

    @Test
    void aLentStandInServesTheProvidersStoreOpenedFromTheLentFieldsAndStopsAfterwards() {
        var provider = new EtcdStoreProvider();
        var lent = new AtomicReference<Map<String, Object>>();
        PoolKey key = PoolKey.of(Cidr.parse("10.9.0.0/24"), "lent");
        provider.lendStandIn(fields -> {
            lent.set(fields);
            try (IpamStore store = provider.open(new StoreConfig(fields))) {
                Allocation a = new Allocation(key.range().network().plus(5), new Owner("c1", "eth0", "ns/pod"));
                assertInstanceOf(CommitOutcome.Committed.class, store.commit(key, store.read(key).version(), PoolChange.put(a)));
                assertEquals(a.owner(), store.read(key).allocations().get(a.ip()));
            }
        });
        String host = (String) lent.get().get("etcd_host");
        assertTrue(host.startsWith("127.0.0.1:") || host.startsWith("http://127.0.0.1:"), host);
        // stopped: nothing listens on the stand-in's port any more
        int port = Integer.parseInt(host.substring(host.lastIndexOf(':') + 1));
        assertThrows(IOException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close());
    }
}
