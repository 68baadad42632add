package dev.whereabouts.store.file;

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
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Test child for {@link MultiProcessTest}: allocates the lowest free address of its pool through a
 * read/commit loop, as the engine does, and prints {@code <ip> <containerId>} for every address it
 * got. Even children use the wide range, odd ones the narrow range inside it, so they also race on
 * reservations.
 */
final class CasChild {

    static final PoolKey WIDE = PoolKey.of(Cidr.parse("10.1.0.0/23"), "cas");
    static final PoolKey NARROW = PoolKey.of(Cidr.parse("10.1.0.0/24"), "cas");

    private CasChild() {}

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int child = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        PoolKey key = child % 2 == 0 ? WIDE : NARROW;
        Set<IpAddress> reservedElsewhere = new HashSet<>();
        try (IpamStore store = Stores.open(dir)) {
            for (int i = 0; i < count; i++) {
                Owner owner = new Owner("child-" + child + "-" + i, "eth0", "ns/child-" + child);
                System.out.println(allocate(store, key, owner, reservedElsewhere) + " " + owner.containerId());
            }
        }
        System.out.flush();
    }

    /** Gives {@code owner} the lowest address of {@code key} that is free here and not reserved elsewhere. */
    static IpAddress allocate(IpamStore store, PoolKey key, Owner owner, Set<IpAddress> reservedElsewhere) {
        while (true) {
            PoolSnapshot s = store.read(key);
            IpAddress ip = lowestFree(key, s, reservedElsewhere);
            PoolChange change = new PoolChange(List.of(new Allocation(ip, owner)), List.of(),
                    List.of(new Reservation(key.networkName(), ip, owner)), List.of());
            CommitOutcome outcome = store.commit(key, s.version(), change);
            if (outcome instanceof CommitOutcome.Committed) {
                return ip;
            }
            if (outcome instanceof CommitOutcome.ReservationTaken t) {
                reservedElsewhere.add(t.holder().ip());
            }
        }
    }

    private static IpAddress lowestFree(PoolKey key, PoolSnapshot s, Set<IpAddress> skip) {
        for (IpAddress ip = key.range().network().next(); key.range().contains(ip); ip = ip.next()) {
            if (!s.allocations().containsKey(ip) && !skip.contains(ip)) {
                return ip;
            }
        }
        throw new IllegalStateException("pool " + key + " is full");
    }
}
