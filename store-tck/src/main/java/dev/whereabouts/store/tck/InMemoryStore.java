package dev.whereabouts.store.tck;

import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolSnapshot;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.api.StoreUnavailableException;
import dev.whereabouts.ipam.spi.CommitOutcome;
import dev.whereabouts.ipam.spi.IpamStore;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The reference store: correct, in memory, with faults that tests switch on.
 *
 * <p>It is the smallest store that satisfies {@link StoreContract}, so it doubles as the example a
 * store author reads first. Clients made with {@link #newClient()} share one backend, as processes
 * share an etcd or an API server. Faults are shared by all clients of a backend:
 * <ul>
 *   <li>{@link #injectConflicts} makes a share of commits answer {@code Conflict} without looking,
 *       as a busy cluster would;</li>
 *   <li>{@link #injectLatency} sleeps before every call;</li>
 *   <li>{@link #setAvailable} makes every call throw {@link StoreUnavailableException}.</li>
 * </ul>
 *
 * @since 0.1
 */
public final class InMemoryStore implements IpamStore {

    private static final class Faults {
        volatile boolean available = true;
        volatile Duration latency = Duration.ZERO;
        volatile double conflictRate;
        Random random = new Random(0);
        final AtomicLong commits = new AtomicLong();
        final AtomicLong injected = new AtomicLong();

        synchronized boolean conflictNow() {
            return conflictRate > 0 && random.nextDouble() < conflictRate;
        }
    }

    private final MemoryBackend backend;
    private final Faults faults;

    private InMemoryStore(MemoryBackend backend, Faults faults) {
        this.backend = backend;
        this.faults = faults;
    }

    /** A store with a new, empty backend. */
    public static InMemoryStore create() {
        return new InMemoryStore(new MemoryBackend(), new Faults());
    }

    /** Another client on the same backend and faults. */
    public InMemoryStore newClient() {
        return new InMemoryStore(backend, faults);
    }

    /**
     * Answers {@code Conflict} to a share {@code rate} (0..1) of commits, drawn from a generator
     * seeded with {@code seed} so a failing run can be replayed.
     */
    public InMemoryStore injectConflicts(double rate, long seed) {
        synchronized (faults) {
            faults.conflictRate = rate;
            faults.random = new Random(seed);
        }
        return this;
    }

    /** Sleeps {@code latency} before every call. */
    public InMemoryStore injectLatency(Duration latency) {
        faults.latency = latency;
        return this;
    }

    /** Switches the simulated outage off ({@code true}) or on ({@code false}). */
    public InMemoryStore setAvailable(boolean available) {
        faults.available = available;
        return this;
    }

    /** Commits attempted on this backend, injected conflicts included. */
    public long commitAttempts() {
        return faults.commits.get();
    }

    /** Conflicts that were injected rather than real. */
    public long injectedConflicts() {
        return faults.injected.get();
    }

    @Override
    public PoolSnapshot read(PoolKey key) {
        enter();
        return backend.read(key);
    }

    @Override
    public CommitOutcome commit(PoolKey key, PoolVersion expected, PoolChange change) {
        enter();
        faults.commits.incrementAndGet();
        if (faults.conflictNow()) {
            faults.injected.incrementAndGet();
            return new CommitOutcome.Conflict();
        }
        return backend.commit(key, expected, change);
    }

    @Override
    public List<PoolKey> pools() {
        enter();
        return backend.pools();
    }

    @Override
    public List<Reservation> reservations() {
        enter();
        return backend.reservations();
    }

    @Override
    public boolean removeReservation(Reservation reservation) {
        enter();
        return backend.removeIfHeld(reservation);
    }

    @Override
    public void checkAvailable() {
        enter();
    }

    @Override
    public void close() {}

    private void enter() {
        Duration latency = faults.latency;
        if (!latency.isZero()) {
            try {
                Thread.sleep(latency);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreUnavailableException("interrupted", e);
            }
        }
        if (!faults.available) {
            throw new StoreUnavailableException("in-memory store switched off by a test", null);
        }
    }
}
