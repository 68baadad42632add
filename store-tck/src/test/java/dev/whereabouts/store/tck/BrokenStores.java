package dev.whereabouts.store.tck;

import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolSnapshot;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.api.Reservation;
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

    /** Delegates everything, letting a subclass bend one call. */
    private static class Wrapper implements IpamStore {
        final IpamStore inner;

        Wrapper(IpamStore inner) {
            this.inner = inner;
        }

        @Override
        public PoolSnapshot read(PoolKey key) {
            return inner.read(key);
        }

        @Override
        public CommitOutcome commit(PoolKey key, PoolVersion expected, PoolChange change) {
            return inner.commit(key, expected, change);
        }

        @Override
        public List<PoolKey> pools() {
            return inner.pools();
        }

        @Override
        public List<Reservation> reservations() {
            return inner.reservations();
        }

        @Override
        public boolean removeReservation(Reservation reservation) {
            return inner.removeReservation(reservation);
        }

        @Override
        public void checkAvailable() {
            inner.checkAvailable();
        }

        @Override
        public void close() {
            inner.close();
        }
    }

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
            return fixture(store -> new Wrapper(store) {
                @Override
                public CommitOutcome commit(PoolKey key, PoolVersion expected, PoolChange change) {
                    return inner.commit(key, inner.read(key).version(), change);
                }
            });
        }
    }

    /** It drops reservations on the floor. */
    static final class ReservationBlind extends StoreContract {
        @Override
        protected StoreFixture createFixture() {
            return fixture(store -> new Wrapper(store) {
                @Override
                public CommitOutcome commit(PoolKey key, PoolVersion expected, PoolChange change) {
                    return inner.commit(key, expected, new PoolChange(change.put(), change.remove(), List.of(), List.of()));
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
