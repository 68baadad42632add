package dev.whereabouts.store.kubernetes;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolSnapshot;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.spi.CommitOutcome;
import dev.whereabouts.ipam.spi.IpamStore;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The engine's loop in miniature (read, pick the lowest free address, conditional write, retry on
 * conflict), so the store can be exercised the way the engine uses it without depending on it.
 */
final class TestAllocator {

    private TestAllocator() {}

    static IpAddress add(IpamStore store, PoolKey key, Owner owner, boolean reserve) {
        Set<IpAddress> taken = new HashSet<>();
        for (int attempt = 0; attempt < 10_000; attempt++) {
            PoolSnapshot snap = store.read(key);
            Optional<IpAddress> mine = snap.allocations().entrySet().stream()
                    .filter(e -> e.getValue().sameAttachment(owner)).map(e -> e.getKey()).findFirst();
            if (mine.isPresent() && !reserve) {
                return mine.get();
            }
            // An entry whose address another attachment reserved (a crash between the pool write and
            // the claim, then an overlapping range took it) is dropped for a fresh pick, as the engine does.
            List<IpAddress> lost = mine.filter(taken::contains).map(List::of).orElse(List.of());
            if (mine.isPresent() && lost.isEmpty()) {
                // as the engine does: an entry is answered only once its reservation is claimed
                Reservation r = new Reservation(key.networkName(), mine.get(), owner);
                CommitOutcome out = store.commit(key, snap.version(),
                        new PoolChange(List.of(new Allocation(mine.get(), owner)), List.of(), List.of(r), List.of()));
                switch (out) {
                    case CommitOutcome.Committed c -> {
                        return mine.get();
                    }
                    case CommitOutcome.ReservationTaken t -> taken.add(mine.get());
                    case CommitOutcome.Conflict c -> { }
                }
                continue;
            }
            IpAddress ip = key.range().network().next();
            IpAddress last = key.range().lastAddress().previous();
            while (snap.allocations().containsKey(ip) || taken.contains(ip)) {
                if (ip.equals(last)) {
                    throw new IllegalStateException("pool " + key + " exhausted");
                }
                ip = ip.next();
            }
            List<Reservation> res = reserve ? List.of(new Reservation(key.networkName(), ip, owner)) : List.of();
            CommitOutcome out = store.commit(key, snap.version(),
                    new PoolChange(List.of(new Allocation(ip, owner)), lost, res, List.of()));
            switch (out) {
                case CommitOutcome.Committed c -> {
                    return ip;
                }
                case CommitOutcome.ReservationTaken t -> taken.add(t.holder().ip());
                case CommitOutcome.Conflict c -> { }
            }
        }
        throw new IllegalStateException("no progress");
    }

    static boolean del(IpamStore store, PoolKey key, Owner owner, boolean reserve) {
        for (int attempt = 0; attempt < 10_000; attempt++) {
            PoolSnapshot snap = store.read(key);
            var held = snap.heldBy(owner.attachment());
            if (held.isEmpty()) {
                return false;
            }
            List<IpAddress> ips = held.stream().map(Allocation::ip).toList();
            List<Reservation> res = reserve
                    ? held.stream().map(a -> new Reservation(key.networkName(), a.ip(), a.owner())).toList()
                    : List.of();
            CommitOutcome out = store.commit(key, snap.version(), new PoolChange(List.of(), ips, List.of(), res));
            if (out instanceof CommitOutcome.Committed) {
                return true;
            }
        }
        throw new IllegalStateException("no progress");
    }
}
