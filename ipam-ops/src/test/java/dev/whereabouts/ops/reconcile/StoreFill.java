package dev.whereabouts.ops.reconcile;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolSnapshot;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.spi.CommitOutcome;
import dev.whereabouts.ipam.spi.IpamStore;
import java.util.List;

/** Writes allocations the way the engine does: entry and reservation in one commit. */
final class StoreFill {

    private StoreFill() {}

    static PoolKey pool(String cidr, String network) {
        return PoolKey.of(Cidr.parse(cidr), network);
    }

    static IpAddress ip(String text) {
        return IpAddress.parse(text);
    }

    static void allocate(IpamStore store, PoolKey key, String ip, Owner owner) {
        PoolSnapshot s = store.read(key);
        Allocation a = new Allocation(ip(ip), owner);
        Reservation r = new Reservation(key.networkName(), ip(ip), owner);
        assertInstanceOf(CommitOutcome.Committed.class,
                store.commit(key, s.version(), new PoolChange(List.of(a), List.of(), List.of(r), List.of())));
    }

    /** A reservation without a pool entry: what a crash between the two writes leaves behind. */
    static void reserveOnly(IpamStore store, PoolKey anyPool, Reservation r) {
        PoolSnapshot s = store.read(anyPool);
        assertInstanceOf(CommitOutcome.Committed.class,
                store.commit(anyPool, s.version(), new PoolChange(List.of(), List.of(), List.of(r), List.of())));
    }

    static Owner owner(String container, String podRef) {
        return new Owner(container, "net1", podRef);
    }
}
