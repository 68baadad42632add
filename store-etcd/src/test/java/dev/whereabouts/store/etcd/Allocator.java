package dev.whereabouts.store.etcd;

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
import java.util.Optional;

/**
 * The engine's read-decide-write loop in miniature, for tests that need many writers: ADD takes
 * the lowest free address with its reservation, DEL releases one with its reservation.
 */
final class Allocator {

    private final IpamStore store;
    private final PoolKey pool;

    Allocator(IpamStore store, PoolKey pool) {
        this.store = store;
        this.pool = pool;
    }

    /** The address taken, or empty when the pool is full. */
    Optional<IpAddress> add(Owner owner) {
        while (true) {
            PoolSnapshot s = store.read(pool);
            IpAddress candidate = pool.range().network().next();
            IpAddress last = pool.range().lastAddress();
            while (candidate.compareTo(last) < 0 && s.allocations().containsKey(candidate)) {
                candidate = candidate.next();
            }
            if (candidate.compareTo(last) >= 0) {
                return Optional.empty();
            }
            PoolChange change = new PoolChange(List.of(new Allocation(candidate, owner)), List.of(),
                    List.of(new Reservation(pool.networkName(), candidate, owner)), List.of());
            CommitOutcome outcome = store.commit(pool, s.version(), change);
            if (outcome instanceof CommitOutcome.Committed) {
                return Optional.of(candidate);
            }
            if (outcome instanceof CommitOutcome.ReservationTaken t) {
                throw new IllegalStateException("reservation of a free pool address is held: " + t);
            }
        }
    }

    /** Releases {@code ip} held by {@code owner}. */
    void del(IpAddress ip, Owner owner) {
        while (true) {
            PoolSnapshot s = store.read(pool);
            PoolChange change = new PoolChange(List.of(), List.of(ip), List.of(),
                    List.of(new Reservation(pool.networkName(), ip, owner)));
            if (store.commit(pool, s.version(), change) instanceof CommitOutcome.Committed) {
                return;
            }
        }
    }
}
