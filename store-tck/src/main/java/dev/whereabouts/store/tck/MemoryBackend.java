package dev.whereabouts.store.tck;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolSnapshot;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.spi.CommitOutcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The state that every client of one {@link InMemoryStore} shares; one lock guards all of it. */
final class MemoryBackend {

    private record Pool(long version, TreeMap<IpAddress, Owner> allocations) {}

    private record ReservationKey(String networkName, IpAddress ip) {
        static ReservationKey of(Reservation r) {
            return new ReservationKey(r.networkName(), r.ip());
        }
    }

    private final Map<PoolKey, Pool> pools = new HashMap<>();
    private final Map<ReservationKey, Reservation> reservations = new HashMap<>();
    // One counter for all pools, so a version is never reused, not even across pools.
    private long clock;

    synchronized PoolSnapshot read(PoolKey key) {
        Pool pool = pools.get(key);
        if (pool == null) {
            return PoolSnapshot.absent(key);
        }
        return new PoolSnapshot(key, new PoolVersion(Long.toString(pool.version)), pool.allocations);
    }

    synchronized CommitOutcome commit(PoolKey key, PoolVersion expected, PoolChange change) {
        Pool pool = pools.get(key);
        String current = pool == null ? PoolVersion.ABSENT.token() : Long.toString(pool.version);
        if (!current.equals(expected.token())) {
            return new CommitOutcome.Conflict();
        }
        for (Reservation wanted : change.reserve()) {
            Reservation held = reservations.get(ReservationKey.of(wanted));
            if (held != null && !held.owner().sameAttachment(wanted.owner())) {
                return new CommitOutcome.ReservationTaken(held);
            }
        }
        for (Reservation wanted : change.reserve()) {
            reservations.put(ReservationKey.of(wanted), wanted);
        }
        TreeMap<IpAddress, Owner> next = pool == null ? new TreeMap<>() : new TreeMap<>(pool.allocations);
        for (Allocation a : change.put()) {
            next.put(a.ip(), a.owner());
        }
        for (IpAddress ip : change.remove()) {
            next.remove(ip);
        }
        for (Reservation gone : change.unreserve()) {
            removeIfHeld(gone);
        }
        long version = ++clock;
        pools.put(key, new Pool(version, next));
        return new CommitOutcome.Committed(new PoolVersion(Long.toString(version)));
    }

    synchronized List<PoolKey> pools() {
        return List.copyOf(pools.keySet());
    }

    synchronized List<Reservation> reservations() {
        return new ArrayList<>(reservations.values());
    }

    synchronized boolean removeIfHeld(Reservation reservation) {
        ReservationKey k = ReservationKey.of(reservation);
        Reservation held = reservations.get(k);
        if (held == null || !held.owner().sameAttachment(reservation.owner())) {
            return false;
        }
        reservations.remove(k);
        return true;
    }
}
