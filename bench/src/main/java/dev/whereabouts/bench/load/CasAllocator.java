package dev.whereabouts.bench.load;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolSnapshot;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.spi.CommitOutcome;
import dev.whereabouts.ipam.spi.IpamStore;
import java.util.List;

/**
 * The engine's allocation loop on the bare store SPI: read the pool, take the lowest address that
 * the snapshot does not hold, commit it with its cluster-wide reservation, and start over on a
 * conflict. Counting the conflicts is the point: they are what concurrency costs.
 */
final class CasAllocator {

    private final IpamStore store;
    private final PoolKey pool;
    private final String name;
    private long conflicts;
    private int serial;

    CasAllocator(IpamStore store, PoolKey pool, String name) {
        this.store = store;
        this.pool = pool;
        this.name = name;
    }

    /** Allocates one address for a new owner. */
    IpAddress allocate() {
        Owner owner = new Owner(name + "-" + serial++, "net1", "bench/" + name + "-" + serial);
        IpAddress last = pool.range().lastAddress();
        while (true) {
            PoolSnapshot s = store.read(pool);
            IpAddress candidate = pool.range().network().next();
            while (candidate.compareTo(last) < 0 && s.allocations().containsKey(candidate)) {
                candidate = candidate.next();
            }
            if (candidate.compareTo(last) >= 0) {
                throw new IllegalStateException("pool " + pool + " is full");
            }
            PoolChange change = new PoolChange(List.of(new Allocation(candidate, owner)), List.of(),
                    List.of(new Reservation(pool.networkName(), candidate, owner)), List.of());
            CommitOutcome outcome = store.commit(pool, s.version(), change);
            if (outcome instanceof CommitOutcome.Committed) {
                return candidate;
            }
            conflicts++;
        }
    }

    long conflicts() {
        return conflicts;
    }
}
