package dev.whereabouts.store.tck;

import dev.whereabouts.ipam.spi.IpamStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The laws every {@link IpamStore} must satisfy, as JUnit 5 tests that a store's own test class
 * inherits:
 *
 * <pre>{@code
 * class EtcdStoreContractTest extends StoreContract {
 *     @Override
 *     protected StoreFixture createFixture() {
 *         String prefix = "/tck-" + UUID.randomUUID();
 *         return new StoreFixture() {
 *             public IpamStore open() { return provider.open(configWithPrefix(prefix)); }
 *             public void close() { deletePrefix(prefix); }
 *         };
 *     }
 * }
 * }</pre>
 *
 * <p>The laws come in groups: {@link PoolLaws} (versioned reads and conditional writes),
 * {@link ReservationLaws} (the cluster-wide create-if-absent claim), {@link DurabilityLaws} (listing,
 * re-opening, field fidelity), {@link ConcurrencyLaws} (many writers, and a seeded random
 * sequence checked against a model) and {@link FeedLaws} (the optional change feed). Each law gets a fresh fixture.
 *
 * <p>A failing law names the guarantee in its method name; the message says what the store
 * returned. Random laws print their seed; override {@link #seed()} to replay one.
 *
 * @since 0.1
 */
public abstract class StoreContract
        implements PoolLaws, ReservationLaws, DurabilityLaws, ConcurrencyLaws, FeedLaws {

    private StoreFixture fixture;
    private IpamStore store;
    private final List<IpamStore> clients = new ArrayList<>();

    /** A fresh, empty backend for one law. */
    protected abstract StoreFixture createFixture() throws Exception;

    @BeforeEach
    final void openFixture() throws Exception {
        fixture = createFixture();
        store = newClient();
    }

    @AfterEach
    final void closeFixture() throws Exception {
        try {
            for (IpamStore client : clients) {
                client.close();
            }
        } finally {
            clients.clear();
            fixture.close();
        }
    }

    @Override
    public final IpamStore store() {
        return store;
    }

    @Override
    public final IpamStore newClient() {
        IpamStore client = fixture.open();
        clients.add(client);
        return client;
    }

    /** Writers in {@link ConcurrencyLaws}; lower it for a slow backend, never below 2. */
    @Override
    public int concurrentWriters() {
        return 8;
    }

    /** The seed of the random laws; fixed by default so every run checks the same sequence. */
    @Override
    public long seed() {
        return 20261122L;
    }
}
