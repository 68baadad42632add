package dev.whereabouts.store.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolSnapshot;
import dev.whereabouts.ipam.api.PoolTooLargeException;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.spi.CommitOutcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An {@code IPPool} is one object, and an API server refuses an object over its own request limit
 * (413) or its etcd's (413 since Kubernetes 1.11, a 500 with etcd's words before). Such a refusal
 * is a full pool (CNI code 100) that names the object and the server's words, with nothing left
 * behind, not a store outage to retry; and the pool still shrinks.
 */
class PoolSizeLimitTest {

    static final PoolKey POOL = PoolKey.of(Cidr.parse("10.12.0.0/24"), "");
    static final String NAMESPACE = "whereabouts-test";
    /** Room for a few dozen allocations in one object. */
    static final int LIMIT = 4096;
    static final String APISERVER_WORDS = "Request entity too large: limit is 3145728";

    static Owner owner(int i) {
        return new Owner("ctr-" + i, "net1", "default/pod-" + i);
    }

    static PoolChange add(IpAddress ip, Owner owner) {
        return new PoolChange(List.of(new Allocation(ip, owner)), List.of(),
                List.of(new Reservation("", ip, owner)), List.of());
    }

    @Test
    void anIpPoolOverTheApiServersLimitIsAFullPoolAndStillShrinks() {
        fillUntilRefused(413, APISERVER_WORDS);
    }

    @Test
    void anOldApiServersAnswerForAnObjectEtcdRefusedIsAFullPoolToo() {
        fillUntilRefused(500, ApiErrors.ETCD_TOO_LARGE);
    }

    private void fillUntilRefused(int status, String words) {
        try (MockCluster cluster = MockCluster.withBodyLimit(NAMESPACE, LIMIT, status, words);
                KubernetesIpamStore store = cluster.open()) {
            IpAddress ip = POOL.range().network();
            List<IpAddress> held = new ArrayList<>();
            PoolTooLargeException refused = null;
            while (refused == null) {
                ip = ip.next();
                PoolSnapshot before = store.read(POOL);
                try {
                    assertInstanceOf(CommitOutcome.Committed.class, store.commit(POOL, before.version(), add(ip, owner(held.size()))));
                    held.add(ip);
                } catch (PoolTooLargeException e) {
                    refused = e;
                }
                assertTrue(held.size() < 250, "the limit was never met");
            }
            assertTrue(held.size() > 5, "some allocations fit: " + held.size());
            assertEquals(IpamException.POOL_EXHAUSTED, refused.code());
            assertTrue(refused.msg().startsWith("IPPool " + NAMESPACE + "/" + POOL.objectName() + " cannot grow to "
                    + (held.size() + 1) + " allocations"), refused.msg());
            assertTrue(refused.msg().contains("(HTTP " + status + ": " + words + ")"), refused.msg());

            PoolSnapshot after = store.read(POOL);
            assertEquals(held, List.copyOf(after.allocations().keySet()), "the refused write changed nothing");
            assertEquals(held.size(), store.reservations().size(), "the refused write left no reservation");

            // A DEL shrinks the object, so it is written, and then there is room for one more ADD.
            IpAddress first = held.getFirst();
            assertInstanceOf(CommitOutcome.Committed.class, store.commit(POOL, after.version(),
                    new PoolChange(List.of(), List.of(first), List.of(), List.of(new Reservation("", first, owner(0))))));
            assertInstanceOf(CommitOutcome.Committed.class,
                    store.commit(POOL, store.read(POOL).version(), add(first, owner(1000))));
        }
    }

    @Test
    void aFirstWriteOverTheLimitLeavesNeitherPoolNorReservations() {
        try (MockCluster cluster = MockCluster.withBodyLimit(NAMESPACE, LIMIT, 413, APISERVER_WORDS);
                KubernetesIpamStore store = cluster.open()) {
            List<Allocation> puts = new ArrayList<>();
            List<Reservation> reserve = new ArrayList<>();
            IpAddress ip = POOL.range().network();
            for (int i = 0; i < 100; i++) {
                ip = ip.next();
                puts.add(new Allocation(ip, owner(i)));
                reserve.add(new Reservation("", ip, owner(i)));
            }
            assertThrows(PoolTooLargeException.class,
                    () -> store.commit(POOL, PoolVersion.ABSENT, new PoolChange(puts, List.of(), reserve, List.of())));
            assertEquals(false, store.read(POOL).exists());
            assertEquals(List.of(), store.reservations());
        }
    }
}
