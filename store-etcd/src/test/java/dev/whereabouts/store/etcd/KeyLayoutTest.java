package dev.whereabouts.store.etcd;

import static dev.whereabouts.store.etcd.EtcdStoreTest.committed;
import static dev.whereabouts.store.etcd.EtcdStoreTest.owner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolSnapshot;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The key layout scales: a full /16 in one pool, and an ADD that writes a constant number of keys. */
class KeyLayoutTest {

    private static final String PREFIX = "/layout";
    private static final PoolKey SLASH16 = PoolKey.of(Cidr.parse("10.50.0.0/16"), "big");
    private static EtcdServer etcd;
    private static IpamStore store;
    private static Client raw;

    @BeforeAll
    static void fillASlash16() {
        etcd = EtcdServer.start();
        java.util.Map<String, Object> cfg = etcd.config(PREFIX);
        // Filling 65,534 addresses on a busy test machine: this test is about layout, not timeouts.
        cfg.put("etcd_timeout_ms", 30_000);
        store = new EtcdStoreProvider().open(new StoreConfig(cfg));
        raw = etcd.client();
        PoolVersion v = PoolVersion.ABSENT;
        IpAddress first = IpAddress.parse("10.50.0.1");
        int total = 65_534;
        for (int start = 0; start < total; start += 4_000) {
            List<Allocation> batch = new ArrayList<>();
            for (int i = start; i < Math.min(total, start + 4_000); i++) {
                batch.add(new Allocation(first.plus(i), new Owner("c" + i, "net1", "ns/pod-" + i)));
            }
            // Each batch is far above etcd's 128 operations per transaction: the store splits it.
            v = committed(store.commit(SLASH16, v, new PoolChange(batch, List.of(), List.of(), List.of())));
        }
    }

    @AfterAll
    static void stop() {
        raw.close();
        store.close();
        etcd.stop();
    }

    @Test
    void aFullSlash16ReadsBackCompletelyAndInOrder() {
        PoolSnapshot s = store.read(SLASH16);
        assertEquals(65_534, s.allocations().size());
        assertEquals(IpAddress.parse("10.50.0.1"), s.allocations().firstKey());
        assertEquals(IpAddress.parse("10.50.255.254"), s.allocations().lastKey());
        assertEquals(new Owner("c65533", "net1", "ns/pod-65533"), s.allocations().get(IpAddress.parse("10.50.255.254")));
        assertEquals(new Owner("c256", "net1", "ns/pod-256"), s.allocations().get(IpAddress.parse("10.50.1.1")));
    }

    @Test
    void aBigPoolIsReadInPagesAtOneRevision() throws Exception {
        // The first page comes inside the read transaction: the limit must hold there too.
        TxnResponse r = raw.getKVClient().txn().Then(Op.get(new KeyLayout(PREFIX).allocations(SLASH16),
                GetOption.builder().isPrefix(true).withLimit(Ranges.PAGE).build())).commit().get(30, TimeUnit.SECONDS);
        GetResponse first = r.getGetResponses().getFirst();
        assertEquals(Ranges.PAGE, first.getKvs().size());
        assertTrue(first.isMore());
    }

    @Test
    void noValueComesNearEtcdsRequestLimit() throws Exception {
        GetResponse all = raw.getKVClient().get(KeyLayout.bytes(PREFIX + "/"),
                GetOption.builder().isPrefix(true).build()).get(30, TimeUnit.SECONDS);
        int largest = all.getKvs().stream().mapToInt(kv -> kv.getKey().size() + kv.getValue().size()).max().orElseThrow();
        assertTrue(largest < 200, "largest key+value is " + largest + " bytes; etcd's limit is 1.5 MiB");
        assertTrue(all.getKvs().size() >= 65_535);
    }

    @Test
    void oneAddWritesThreeKeysAndOneDelOneTransaction() throws Exception {
        IpAddress freed = IpAddress.parse("10.50.7.7");
        Owner old = store.read(SLASH16).allocations().get(freed);
        PoolVersion v = store.read(SLASH16).version();
        PoolVersion afterDel = committed(store.commit(SLASH16, v, PoolChange.remove(freed)));
        assertEquals(Long.parseLong(v.token()) + 1, Long.parseLong(afterDel.token()), "a DEL is one transaction");

        Owner pod = owner(77);
        PoolVersion afterAdd = committed(store.commit(SLASH16, afterDel, new PoolChange(List.of(new Allocation(freed, pod)),
                List.of(), List.of(new Reservation("big", freed, pod)), List.of())));
        long rev = Long.parseLong(afterAdd.token());
        assertEquals(Long.parseLong(afterDel.token()) + 1, rev, "an ADD is one transaction");
        GetResponse changed = raw.getKVClient().get(KeyLayout.bytes(PREFIX + "/"), GetOption.builder().isPrefix(true)
                .withMinModRevision(rev).withMaxModRevision(rev).withKeysOnly(true).build()).get(30, TimeUnit.SECONDS);
        Set<String> keys = changed.getKvs().stream().map(KeyValue::getKey)
                .map(k -> k.toString(StandardCharsets.UTF_8)).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of(PREFIX + "/allocations/big-10.50.0.0-16/0a320707", PREFIX + "/pools/big-10.50.0.0-16",
                PREFIX + "/reservations/big/10.50.7.7"), keys, "an ADD into a pool of 65,533 must write only its own keys");
        assertEquals(pod, store.read(SLASH16).allocations().get(freed));
        assertTrue(!pod.equals(old));
    }
}
