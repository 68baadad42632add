package dev.whereabouts.store.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.api.Reservation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What {@code pools()}, {@code reservations()} and {@code checkAvailable()} report. */
class ListingTest extends MockStoreFixture {

    @Test
    void poolsListsEveryPoolWithItsKey() {
        PoolKey named = PoolKey.of(Cidr.parse("10.0.0.0/24"), "net-a");
        PoolKey node = new PoolKey(Cidr.parse("10.0.1.0/26"), "net-a", "worker-1");
        PoolKey v6 = PoolKey.of(Cidr.parse("caa5::/64"), "");
        for (PoolKey k : List.of(POOL, named, node, v6)) {
            store.commit(k, PoolVersion.ABSENT, new PoolChange(List.of(), List.of(), List.of(), List.of()));
        }
        assertEquals(Set.of(POOL, named, node, v6), Set.copyOf(store.pools()));
        assertNotNull(rawPool("net-a-worker-1-10.0.1.0-26"));
    }

    @Test
    void reservationsWrittenByUpstreamAreUnderstoodFromTheirNames() {
        for (String name : List.of("192.168.22.1", "2001--2-3-1", "net1-10.0.0.1", "net1-2001-db8--0")) {
            GenericKubernetesResource o = new GenericKubernetesResource();
            o.setApiVersion(Kinds.API_VERSION);
            o.setKind("OverlappingRangeIPReservation");
            o.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).build());
            o.setAdditionalProperty("spec", Map.of("podref", "ns/pod", "ifname", "net1"));
            cluster.admin.genericKubernetesResources(Kinds.RESERVATION).inNamespace(cluster.namespace).resource(o).create();
        }
        Owner upstream = new Owner("", "net1", "ns/pod");
        assertEquals(Set.of(new Reservation("", ip("192.168.22.1"), upstream),
                        new Reservation("", ip("2001::2:3:1"), upstream),
                        new Reservation("net1", ip("10.0.0.1"), upstream),
                        new Reservation("net1", ip("2001:db8::"), upstream)),
                Set.copyOf(store.reservations()));
    }

    @Test
    void checkAvailableAnswersWhenTheServerDoes() {
        store.checkAvailable();
        assertEquals(Set.of(), store.pools().stream().collect(Collectors.toSet()));
    }
}
