package dev.whereabouts.ops.reconcile;

import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolSnapshot;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.spi.CommitOutcome;
import dev.whereabouts.ipam.spi.IpamStore;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client that lets another client write (an ADD on another node) right before each of its first
 * {@code interleavings} commits, so those commits meet a real version conflict.
 */
final class InterleavingStore implements IpamStore {

    private final IpamStore delegate;
    private final Runnable otherWriter;
    private final AtomicInteger left;

    InterleavingStore(IpamStore delegate, int interleavings, Runnable otherWriter) {
        this.delegate = delegate;
        this.otherWriter = otherWriter;
        this.left = new AtomicInteger(interleavings);
    }

    @Override
    public PoolSnapshot read(PoolKey key) {
        return delegate.read(key);
    }

    @Override
    public CommitOutcome commit(PoolKey key, PoolVersion expected, PoolChange change) {
        if (left.getAndDecrement() > 0) {
            otherWriter.run();
        }
        return delegate.commit(key, expected, change);
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
