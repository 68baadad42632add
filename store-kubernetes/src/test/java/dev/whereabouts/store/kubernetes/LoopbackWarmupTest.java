package dev.whereabouts.store.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.spi.CommitOutcome;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The start-up warm-up drives the real store client over HTTP against the process's own stand-in
 * server, through the paths of a burst (pool writes, reservation creates and deletes, turns), and
 * leaves nothing behind.
 */
class LoopbackWarmupTest {

    static Map<String, Long> counts(String text) {
        return Arrays.stream(text.split(" ")).map(kv -> kv.split("="))
                .collect(Collectors.toMap(kv -> kv[0], kv -> Long.parseLong(kv[1])));
    }

    @Test
    void cyclesReachTheServerThroughEveryRequestKindOfABurstAndLeaveNothing() {
        Map<String, Long> counts = counts(LoopbackWarmup.run(10));
        // per cycle: a reservation created and deleted, two pool updates, a turn taken and given back
        assertEquals(10, counts.get("DELETE"), counts.toString());
        assertTrue(counts.get("POST") >= 10 && counts.get("PUT") >= 20 && counts.get("GET") >= 1, counts.toString());
        assertEquals(2, counts.get("objects"), "only the empty pool and the given-back turn Lease stay: " + counts);
    }

    @Test
    void aLentStandInServesTheProvidersStoreOpenedFromTheLentFieldsAndGoesAwayAfterwards() {
        var provider = new KubernetesStoreProvider();
        var kubeconfig = new AtomicReference<Path>();
        PoolKey key = PoolKey.of(Cidr.parse("10.9.0.0/24"), "lent");
        provider.lendStandIn(fields -> {
            kubeconfig.set(Path.of((String) new StoreConfig(fields).section("kubernetes").string("kubeconfig").orElseThrow()));
            try (IpamStore store = provider.open(new StoreConfig(fields))) {
                Allocation a = new Allocation(key.range().network().plus(5), new Owner("c1", "eth0", "ns/pod"));
                assertInstanceOf(CommitOutcome.Committed.class, store.commit(key, store.read(key).version(), PoolChange.put(a)));
                assertEquals(a.owner(), store.read(key).allocations().get(a.ip()));
            }
        });
        assertFalse(Files.exists(kubeconfig.get()), "the stand-in's kubeconfig is removed with it");
    }
}
