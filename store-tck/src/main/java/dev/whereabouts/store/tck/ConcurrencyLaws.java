package dev.whereabouts.store.tck;

import static dev.whereabouts.store.tck.Laws.POOL;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.spi.IpamStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Many writers at once, and a seeded random sequence checked against a model.
 *
 * @since 0.1
 */
public interface ConcurrencyLaws extends ContractSubject {

    /** How many clients write at once. */
    int concurrentWriters();

    /** Seed of {@link ModelCheck}; the failure message prints it. */
    long seed();

    /** Concurrent read-modify-write loops from many clients never lose an update. */
    @Test
    default void concurrentWritersNeverLoseAnUpdate() throws Exception {
        int writers = concurrentWriters();
        int perWriter = 6;
        List<IpamStore> clients = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            clients.add(newClient());
        }
        Map<IpAddress, Owner> expected = new HashMap<>();
        List<Future<?>> done = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
            for (int w = 0; w < writers; w++) {
                IpamStore client = clients.get(w);
                int writer = w;
                for (int i = 0; i < perWriter; i++) {
                    IpAddress ip = IpAddress.parse("10.20.0.0").plus(1 + writer * perWriter + i);
                    expected.put(ip, new Owner("c-" + writer + "-" + i, "net1", "ns/w" + writer));
                }
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perWriter; i++) {
                        IpAddress ip = IpAddress.parse("10.20.0.0").plus(1 + writer * perWriter + i);
                        Owner owner = new Owner("c-" + writer + "-" + i, "net1", "ns/w" + writer);
                        Laws.commitWithRetry(client, POOL, PoolChange.put(new Allocation(ip, owner)));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        assertEquals(expected, store().read(POOL).allocations(), "every committed write must be in the pool");
    }

    /** A seeded random sequence of writes, stale writes and removals agrees with a model at every step. */
    @Test
    default void randomChangeSequencesAgreeWithAModel() {
        new ModelCheck(seed(), store(), newClient()).run(120);
    }
}
