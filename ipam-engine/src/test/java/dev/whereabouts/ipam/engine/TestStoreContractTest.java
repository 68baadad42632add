package dev.whereabouts.ipam.engine;

import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.store.tck.StoreContract;
import dev.whereabouts.store.tck.StoreFixture;

/** The engine's own test double must be a correct store, or the engine tests prove nothing. */
class TestStoreContractTest extends StoreContract {

    @Override
    protected StoreFixture createFixture() {
        TestStore backend = new TestStore();
        return new StoreFixture() {
            @Override
            public IpamStore open() {
                return new ClientView(backend);
            }

            @Override
            public void close() {}
        };
    }

    /** A client of the shared test store whose close does not close the backend. */
    private record ClientView(TestStore backend) implements IpamStore {
        @Override
        public dev.whereabouts.ipam.api.PoolSnapshot read(dev.whereabouts.ipam.api.PoolKey key) {
            return backend.read(key);
        }

        @Override
        public dev.whereabouts.ipam.spi.CommitOutcome commit(dev.whereabouts.ipam.api.PoolKey key,
                dev.whereabouts.ipam.api.PoolVersion expected, dev.whereabouts.ipam.api.PoolChange change) {
            return backend.commit(key, expected, change);
        }

        @Override
        public java.util.List<dev.whereabouts.ipam.api.PoolKey> pools() {
            return backend.pools();
        }

        @Override
        public java.util.List<dev.whereabouts.ipam.api.Reservation> reservations() {
            return backend.reservations();
        }

        @Override
        public boolean removeReservation(dev.whereabouts.ipam.api.Reservation reservation) {
            return backend.removeReservation(reservation);
        }

        @Override
        public void checkAvailable() {
            backend.checkAvailable();
        }

        @Override
        public void close() {}
    }
}
