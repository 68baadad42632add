package dev.whereabouts.store.file;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.spi.IpamStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node daemon's case: many threads on one store object, beside other store objects of the same directory. */
class ConcurrencyTest {

    @TempDir
    Path dir;

    @Test
    void threadsSharingStoresNeverShareAnAddressAcrossOverlappingPools() throws Exception {
        int threads = 8;
        int perThread = 15;
        try (IpamStore daemon = Stores.open(dir); IpamStore other = Stores.open(dir)) {
            List<Future<Map<IpAddress, Owner>>> results = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    IpamStore store = thread % 4 == 0 ? other : daemon;
                    PoolKey key = thread % 2 == 0 ? CasChild.WIDE : CasChild.NARROW;
                    results.add(pool.submit(() -> {
                        Map<IpAddress, Owner> got = new HashMap<>();
                        for (int i = 0; i < perThread; i++) {
                            Owner owner = new Owner("t" + thread + "-" + i, "eth0", "ns/t" + thread);
                            got.put(CasChild.allocate(store, key, owner, new HashSet<>()), owner);
                        }
                        return got;
                    }));
                }
            }
            Map<IpAddress, Owner> handedOut = new HashMap<>();
            for (Future<Map<IpAddress, Owner>> f : results) {
                f.get().forEach((ip, owner) -> assertEquals(null, handedOut.put(ip, owner), ip + " handed out twice"));
            }
            assertEquals(threads * perThread, handedOut.size());
            Map<IpAddress, Owner> stored = new HashMap<>(daemon.read(CasChild.WIDE).allocations());
            stored.putAll(other.read(CasChild.NARROW).allocations());
            assertEquals(handedOut, stored);
            StoreInvariants.noAddressHasTwoOwners(daemon);
        }
    }
}
