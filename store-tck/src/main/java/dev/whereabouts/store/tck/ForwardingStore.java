package dev.whereabouts.store.tck;

import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolSnapshot;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.spi.CommitOutcome;
import dev.whereabouts.ipam.spi.IpamStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A store that passes every call to another one: extend it and override the calls you want to
 * count, slow down or break (fault injection, load harnesses), and nothing else.
 *
 * @since 0.2
 */
public abstract class ForwardingStore implements IpamStore {

    private final IpamStore delegate;

    /** Forwards to {@code delegate}. */
    protected ForwardingStore(IpamStore delegate) {
        this.delegate = delegate;
    }

    /** The store calls go to. */
    protected final IpamStore delegate() {
        return delegate;
    }

    @Override
    public PoolSnapshot read(PoolKey key) {
        return delegate.read(key);
    }

    @Override
    public CommitOutcome commit(PoolKey key, PoolVersion expected, PoolChange change) {
        return delegate.commit(key, expected, change);
    }

    @Override
    public Optional<PoolSnapshot> awaitNewer(PoolKey key, PoolVersion seen, Duration maxWait) {
        return delegate.awaitNewer(key, seen, maxWait);
    }

    @Override
    public List<PoolKey> pools() {
        return delegate.pools();
    }

    @Override
    public List<Reservation> reservations() {
        return delegate.reservations();
    }

    @Override
    public boolean removeReservation(Reservation reservation) {
        return delegate.removeReservation(reservation);
    }

    @Override
    public void checkAvailable() {
        delegate.checkAvailable();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
