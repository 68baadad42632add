package dev.whereabouts.ipam.spi;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.api.Reservation;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The store calls of a burst, made on a store whose server is a stand-in of the provider's own, for
 * {@link StoreProvider#warmUp}: each cycle takes a turn on one pool, commits an ADD (an allocation
 * and its reservation) and a DEL, and every fifth cycle first loses a race with a stale version and
 * reads the pool again.
 *
 * <p>Why a provider would: a daemon's first calls on a store run its client code in the
 * interpreter and make the JIT compile it, which in a burst of freshly started daemons took a
 * quarter to two fifths of their CPU. Run on a real store, this would write to it; run it only
 * against a server in the same process.
 *
 * @since 0.3
 */
public final class WarmupCycles {

    /** Cycles enough for each method on the way to run more than the 20 calls after which a daemon compiles it. */
    public static final int DEFAULT = 25;

    private WarmupCycles() {}

    /**
     * Runs {@code cycles} cycles on pool {@code 10.255.0.0/24} of network {@code warmup}. The pool
     * is left empty; lost turns are not an error (the cycle then writes out of turn).
     */
    public static <S extends IpamStore & ContentionLock> void run(S store, int cycles) {
        PoolKey key = PoolKey.of(Cidr.parse("10.255.0.0/24"), "warmup");
        PoolVersion version = store.read(key).version();
        for (int i = 0; i < cycles; i++) {
            IpAddress ip = key.range().network().plus(1 + i % 250);
            Owner owner = new Owner("warmup-" + i, "net1", "warmup/pod-" + i);
            Reservation reservation = new Reservation(key.networkName(), ip, owner);
            store.turnTakenElsewhere(key);
            Optional<ContentionLock.Turn> turn = store.awaitTurn(key, Duration.ofSeconds(2));
            try {
                PoolChange add = new PoolChange(List.of(new Allocation(ip, owner)), List.of(), List.of(reservation), List.of());
                if (i % 5 == 4) {
                    after(store.commit(key, new PoolVersion("1"), add), store, key); // a version long gone
                }
                version = after(store.commit(key, version, add), store, key);
                version = after(store.commit(key, version, new PoolChange(List.of(), List.of(ip), List.of(),
                        List.of(reservation))), store, key);
            } finally {
                turn.ifPresent(ContentionLock.Turn::close);
            }
        }
    }

    /** The version after {@code outcome}; after anything but a commit (nothing else writes the pool), read. */
    private static PoolVersion after(CommitOutcome outcome, IpamStore store, PoolKey key) {
        return outcome instanceof CommitOutcome.Committed c ? c.version() : store.read(key).version();
    }
}
