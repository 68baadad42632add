package dev.whereabouts.store.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolSnapshot;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.spi.CommitOutcome;
import dev.whereabouts.ipam.spi.IpamStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Drives two clients through a random sequence of changes on two overlapping pools and compares the
 * store with a plain model after every step. A small address space makes reservation clashes and
 * stale versions frequent.
 */
final class ModelCheck {

    private static final List<PoolKey> POOLS = List.of(Laws.POOL, Laws.OTHER_POOL);

    private final long seed;
    private final Random random;
    private final List<IpamStore> clients;
    private final Map<PoolKey, Map<IpAddress, Owner>> pools = new HashMap<>();
    private final Map<IpAddress, Reservation> reservations = new HashMap<>();
    private final Map<PoolKey, List<PoolVersion>> pastVersions = new HashMap<>();
    private final List<String> script = new ArrayList<>();

    ModelCheck(long seed, IpamStore first, IpamStore second) {
        this.seed = seed;
        this.random = new Random(seed);
        this.clients = List.of(first, second);
    }

    void run(int steps) {
        for (int step = 0; step < steps; step++) {
            PoolKey key = POOLS.get(random.nextInt(POOLS.size()));
            IpamStore client = clients.get(random.nextInt(clients.size()));
            List<PoolVersion> past = pastVersions.computeIfAbsent(key, k -> new ArrayList<>());
            if (!past.isEmpty() && random.nextInt(4) == 0) {
                staleWrite(client, key, past.get(random.nextInt(past.size())));
            } else {
                freshWrite(client, key);
            }
            verify();
        }
    }

    private void freshWrite(IpamStore client, PoolKey key) {
        PoolSnapshot snapshot = client.read(key);
        PoolChange change = randomChange(key, snapshot);
        script.add("commit " + key + " " + change);
        CommitOutcome outcome = client.commit(key, snapshot.version(), change);
        Reservation blocking = blockingReservation(change);
        if (blocking != null) {
            var taken = assertInstanceOf(CommitOutcome.ReservationTaken.class, outcome, failure("expected ReservationTaken"));
            assertEquals(blocking, taken.holder(), failure("wrong holder reported"));
            return;
        }
        assertInstanceOf(CommitOutcome.Committed.class, outcome, failure("expected the change to commit"));
        pastVersions.get(key).add(snapshot.version());
        apply(key, change);
    }

    private void staleWrite(IpamStore client, PoolKey key, PoolVersion stale) {
        PoolChange change = PoolChange.remove(IpAddress.parse("10.20.0.1"));
        script.add("stale commit " + key + " at " + stale);
        CommitOutcome outcome = client.commit(key, stale, change);
        assertInstanceOf(CommitOutcome.Conflict.class, outcome, failure("a stale version must conflict"));
    }

    private PoolChange randomChange(PoolKey key, PoolSnapshot snapshot) {
        List<Allocation> put = new ArrayList<>();
        List<IpAddress> remove = new ArrayList<>();
        List<Reservation> reserve = new ArrayList<>();
        List<Reservation> unreserve = new ArrayList<>();
        Set<IpAddress> touched = new HashSet<>();
        int puts = random.nextInt(3);
        for (int i = 0; i < puts; i++) {
            IpAddress ip = randomAddress();
            Owner owner = Laws.owner(random.nextInt(4));
            if (touched.add(ip)) {
                put.add(new Allocation(ip, owner));
                if (random.nextBoolean()) {
                    reserve.add(new Reservation(key.networkName(), ip, owner));
                }
            }
        }
        for (Map.Entry<IpAddress, Owner> e : snapshot.allocations().entrySet()) {
            if (random.nextInt(3) == 0 && touched.add(e.getKey())) {
                remove.add(e.getKey());
                unreserve.add(new Reservation(key.networkName(), e.getKey(), random.nextInt(4) == 0
                        ? Laws.owner(99) : e.getValue()));
            }
        }
        return new PoolChange(put, remove, reserve, unreserve);
    }

    private Reservation blockingReservation(PoolChange change) {
        for (Reservation wanted : change.reserve()) {
            Reservation held = reservations.get(wanted.ip());
            if (held != null && !held.owner().sameAttachment(wanted.owner())) {
                return held;
            }
        }
        return null;
    }

    private void apply(PoolKey key, PoolChange change) {
        for (Reservation r : change.reserve()) {
            reservations.put(r.ip(), r);
        }
        Map<IpAddress, Owner> pool = pools.computeIfAbsent(key, k -> new HashMap<>());
        for (Allocation a : change.put()) {
            pool.put(a.ip(), a.owner());
        }
        change.remove().forEach(pool::remove);
        for (Reservation r : change.unreserve()) {
            Reservation held = reservations.get(r.ip());
            if (held != null && held.owner().sameAttachment(r.owner())) {
                reservations.remove(r.ip());
            }
        }
    }

    private void verify() {
        for (PoolKey key : POOLS) {
            Map<IpAddress, Owner> expected = pools.getOrDefault(key, Map.of());
            assertEquals(expected, clients.get(0).read(key).allocations(), failure("pool " + key + " differs from the model"));
        }
        assertEquals(Set.copyOf(reservations.values()), Set.copyOf(clients.get(1).reservations()),
                failure("reservations differ from the model"));
    }

    private IpAddress randomAddress() {
        return IpAddress.parse("10.20.0.0").plus(1 + random.nextInt(6));
    }

    private String failure(String what) {
        int from = Math.max(0, script.size() - 8);
        return what + " (seed " + seed + ", step " + script.size() + "; last steps: "
                + String.join(" | ", script.subList(from, script.size())) + ")";
    }
}
