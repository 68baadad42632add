package dev.whereabouts.ops.reconcile;

import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.spi.CommitOutcome;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.store.tck.ForwardingStore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client that lets another client write (an ADD on another node) right before each of its first
 * {@code interleavings} commits, so those commits meet a real version conflict.
 */
final class InterleavingStore extends ForwardingStore {

    private final Runnable otherWriter;
    private final AtomicInteger left;

    InterleavingStore(IpamStore delegate, int interleavings, Runnable otherWriter) {
        super(delegate);
        this.otherWriter = otherWriter;
        this.left = new AtomicInteger(interleavings);
    }

    @Override
    public CommitOutcome commit(PoolKey key, PoolVersion expected, PoolChange change) {
        if (left.getAndDecrement() > 0) {
            otherWriter.run();
        }
        return super.commit(key, expected, change);
    }
}
