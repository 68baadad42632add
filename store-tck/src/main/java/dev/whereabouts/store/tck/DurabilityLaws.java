package dev.whereabouts.store.tck;

import static dev.whereabouts.store.tck.Laws.POOL;
import static dev.whereabouts.store.tck.Laws.V6_POOL;
import static dev.whereabouts.store.tck.Laws.allocation;
import static dev.whereabouts.store.tck.Laws.committed;
import static dev.whereabouts.store.tck.Laws.ip;
import static dev.whereabouts.store.tck.Laws.owner;
import static dev.whereabouts.store.tck.Laws.reservation;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolSnapshot;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.spi.IpamStore;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Listing, re-opening and the fidelity of every stored field.
 *
 * @since 0.1
 */
public interface DurabilityLaws extends ContractSubject {

    /** pools() and reservations() list exactly what was written, across networks and nodes. */
    @Test
    default void listingSeesExactlyWhatWasWritten() {
        PoolKey slice = new PoolKey(Cidr.parse("10.30.1.0/26"), "tenant-a", "node-1");
        Reservation r1 = reservation(POOL, "10.20.0.1", owner(1));
        Reservation r2 = reservation(V6_POOL, "fd00:10::1", owner(2));
        committed(store().commit(POOL, PoolVersion.ABSENT, Laws.put(List.of(allocation("10.20.0.1", 1)), List.of(r1))));
        committed(store().commit(V6_POOL, PoolVersion.ABSENT, Laws.put(List.of(allocation("fd00:10::1", 2)), List.of(r2))));
        committed(store().commit(slice, PoolVersion.ABSENT, PoolChange.put(allocation("10.30.1.1", 3))));
        assertEquals(Set.of(POOL, V6_POOL, slice), Set.copyOf(store().pools()));
        assertEquals(Set.of(r1, r2), Set.copyOf(store().reservations()));
        assertEquals(3, store().pools().size(), "no pool may be listed twice");
    }

    /** What one client writes, a new client reads, after the first one was closed. */
    @Test
    default void valuesSurviveReopeningTheStore() {
        IpamStore writer = newClient();
        Reservation r = reservation(V6_POOL, "fd00:10::5", owner(5));
        committed(writer.commit(V6_POOL, PoolVersion.ABSENT, Laws.put(List.of(allocation("fd00:10::5", 5)), List.of(r))));
        PoolSnapshot written = writer.read(V6_POOL);
        writer.close();

        IpamStore reader = newClient();
        assertEquals(written, reader.read(V6_POOL));
        assertEquals(List.of(r), reader.reservations());
        committed(reader.commit(V6_POOL, written.version(), PoolChange.remove(ip("fd00:10::5"))));
    }

    /** Addresses keep all 128 bits and owners keep every field, empty ones included. */
    @Test
    default void addressesAndOwnersRoundTripExactly() {
        PoolKey wide = PoolKey.of(Cidr.parse("fd00::/16"), "");
        List<Allocation> odd = List.of(
                new Allocation(ip("fd00:ffff:ffff:ffff:ffff:ffff:ffff:fffe"), new Owner("c-high", "net1", "ns/high")),
                new Allocation(ip("fd00:0:0:1::"), new Owner("c-2-64", "eth0", "")),
                new Allocation(ip("fd00::8000:0:0:0"), new Owner("c-2-63", "", "kube-system/x")),
                new Allocation(ip("fd00::1"), new Owner("c.with_dots-and-dashes", "net-1.2", "a-b/c.d-e")));
        committed(store().commit(wide, PoolVersion.ABSENT, new PoolChange(odd, List.of(), List.of(), List.of())));
        assertEquals(Set.copyOf(odd), Set.copyOf(newClient().read(wide).asList()));

        PoolKey v4 = PoolKey.of(Cidr.parse("10.0.0.0/8"), "");
        List<Allocation> v4s = List.of(allocation("10.255.255.254", 1), allocation("10.0.1.0", 2), allocation("10.0.0.255", 3));
        committed(store().commit(v4, PoolVersion.ABSENT, new PoolChange(v4s, List.of(), List.of(), List.of())));
        assertEquals(Set.copyOf(v4s), Set.copyOf(newClient().read(v4).asList()));
    }

    /** A healthy store says so. */
    @Test
    default void aHealthyStoreIsAvailable() {
        store().checkAvailable();
        newClient().checkAvailable();
    }
}
