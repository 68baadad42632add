package dev.whereabouts.store.tck;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolSnapshot;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.spi.CommitOutcome;
import dev.whereabouts.ipam.spi.IpamStore;
import java.util.List;

/** Shared vocabulary of the laws: sample pools, owners and the read-then-write loop. */
final class Laws {

    static final PoolKey POOL = PoolKey.of(Cidr.parse("10.20.0.0/24"), "");
    static final PoolKey OTHER_POOL = PoolKey.of(Cidr.parse("10.20.0.0/28"), "");
    static final PoolKey V6_POOL = PoolKey.of(Cidr.parse("fd00:10::/48"), "tenant-a");

    private Laws() {}

    static IpAddress ip(String text) {
        return IpAddress.parse(text);
    }

    static Owner owner(int n) {
        return new Owner("container-" + n, "net1", "default/pod-" + n);
    }

    static Allocation allocation(String ip, int owner) {
        return new Allocation(ip(ip), owner(owner));
    }

    static Reservation reservation(PoolKey pool, String ip, Owner owner) {
        return new Reservation(pool.networkName(), ip(ip), owner);
    }

    static PoolVersion committed(CommitOutcome outcome) {
        return assertInstanceOf(CommitOutcome.Committed.class, outcome,
                "expected the write to be committed, the store answered " + outcome).version();
    }

    /** Reads and writes until the write is committed, as the engine does. */
    static PoolVersion commitWithRetry(IpamStore store, PoolKey key, PoolChange change) {
        for (int attempt = 0; attempt < 10_000; attempt++) {
            PoolSnapshot snapshot = store.read(key);
            CommitOutcome outcome = store.commit(key, snapshot.version(), change);
            switch (outcome) {
                case CommitOutcome.Committed c -> {
                    return c.version();
                }
                case CommitOutcome.Conflict c -> Thread.onSpinWait();
                case CommitOutcome.ReservationTaken t -> fail("unexpected reservation conflict " + t);
            }
        }
        return fail("no write committed after 10,000 attempts on " + key);
    }

    static PoolChange put(List<Allocation> put, List<Reservation> reserve) {
        return new PoolChange(put, List.of(), reserve, List.of());
    }
}
