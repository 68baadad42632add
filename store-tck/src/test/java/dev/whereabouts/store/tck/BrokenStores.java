package dev.whereabouts.store.tck;

import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.spi.CommitOutcome;
import dev.whereabouts.ipam.spi.IpamStore;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Stores with one deliberate defect each, run through the kit by {@link StoreContractCatchesBrokenStoresTest}.
 * The class names do not end in Test, so the build never runs them directly.
 */
final class BrokenStores {

    private BrokenStores() {}

    private static StoreFixture fixture(UnaryOperator<IpamStore> breaker) {
        InMemoryStore backend = InMemoryStore.create();
        return new StoreFixture() {
            @Override
            public IpamStore open() {
                return breaker.apply(backend.newClient());
            }

            @Override
            public void close() {}
        };
    }

    /** Its conditional write ignores the expected version: the last writer silently wins. */
    static final class VersionBlind extends StoreContract {
        @Override
        protected StoreFixture createFixture() {
            return fixture(store -> new ForwardingStore(store) {
                @Override
                public CommitOutcome commit(PoolKey key, PoolVersion expected, PoolChange change) {
                    return delegate().commit(key, delegate().read(key).version(), change);
                }
            });
        }
    }

    /** It drops reservations on the floor. */
    static final class ReservationBlind extends StoreContract {
        @Override
        protected StoreFixture createFixture() {
            return fixture(store -> new ForwardingStore(store) {
                @Override
                public CommitOutcome commit(PoolKey key, PoolVersion expected, PoolChange change) {
                    return delegate().commit(key, expected, new PoolChange(change.put(), change.remove(), List.of(), List.of()));
                }
            });
        }
    }

    /** Every client starts from an empty backend: nothing survives a re-open. */
    static final class Forgetful extends StoreContract {
        @Override
        protected StoreFixture createFixture() {
            return new StoreFixture() {
                @Override
                public IpamStore open() {
                    return InMemoryStore.create();
                }

                @Override
                public void close() {}
            };
        }
    }
}
