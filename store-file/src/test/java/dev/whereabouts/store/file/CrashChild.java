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
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Test child for {@link CrashSafetyTest}: commits forever, engine style (an allocation always
 * travels with its reservation), until the parent kills it with SIGKILL. Prints
 * {@code committed <pool index> <version>} for every commit the store acknowledged.
 */
final class CrashChild {

    /** Two overlapping ranges in one network, so reservations decide, and an IPv6 pool. */
    static final List<PoolKey> POOLS = List.of(
            PoolKey.of(Cidr.parse("10.9.0.0/28"), "crash"),
            PoolKey.of(Cidr.parse("10.9.0.0/29"), "crash"),
            PoolKey.of(Cidr.parse("fd00:9::/56"), "crash6"));

    private CrashChild() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Random random = new Random(Long.parseLong(args[1]));
        try (IpamStore store = Stores.open(dir)) {
            store.read(POOLS.getFirst());
            System.out.println("ready");
            System.out.flush();
            for (long n = 0; ; n++) {
                int pool = random.nextInt(POOLS.size());
                PoolKey key = POOLS.get(pool);
                PoolSnapshot s = store.read(key);
                PoolChange change = random.nextInt(5) < 3 || s.allocations().isEmpty()
                        ? allocate(key, random, args[1] + "-" + n)
                        : release(key, s.allocations(), random);
                if (store.commit(key, s.version(), change) instanceof CommitOutcome.Committed c) {
                    // the parent checks that no acknowledged commit is lost
                    System.out.println("committed " + pool + " " + c.version().token());
                    System.out.flush();
                }
            }
        }
    }

    /** Some address of the range: IPv6 ones lie beyond 2^64 from the network address. */
    static IpAddress address(PoolKey key, Random random) {
        if (key.range().v6()) {
            return key.range().network().plus(BigInteger.ONE.shiftLeft(64).multiply(BigInteger.valueOf(random.nextInt(8)))
                    .add(BigInteger.valueOf(random.nextInt(4))));
        }
        return key.range().network().plus(random.nextInt(key.range().size().intValueExact()));
    }

    private static PoolChange allocate(PoolKey key, Random random, String id) {
        List<Allocation> put = new ArrayList<>();
        List<Reservation> reserve = new ArrayList<>();
        for (int i = random.nextInt(3); i >= 0; i--) {
            IpAddress ip = address(key, random);
            Owner owner = new Owner("c" + id + "x" + i, "eth" + i, random.nextBoolean() ? "" : "ns/pod " + id);
            if (put.stream().noneMatch(a -> a.ip().equals(ip))) {
                put.add(new Allocation(ip, owner));
                reserve.add(new Reservation(key.networkName(), ip, owner));
            }
        }
        return new PoolChange(put, List.of(), reserve, List.of());
    }

    private static PoolChange release(PoolKey key, Map<IpAddress, Owner> allocations, Random random) {
        List<IpAddress> remove = new ArrayList<>();
        List<Reservation> unreserve = new ArrayList<>();
        for (Map.Entry<IpAddress, Owner> e : allocations.entrySet()) {
            if (random.nextInt(3) == 0) {
                remove.add(e.getKey());
                unreserve.add(new Reservation(key.networkName(), e.getKey(), e.getValue()));
            }
        }
        return new PoolChange(List.of(), remove, List.of(), unreserve);
    }
}
