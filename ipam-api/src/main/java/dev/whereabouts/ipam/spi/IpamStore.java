package dev.whereabouts.ipam.spi;

import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolSnapshot;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.api.StoreUnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where allocations live. A store knows nothing of ranges, excludes or "lowest free": the engine
 * decides, once, for every store. A store offers a versioned read and a conditional write, and the
 * engine loops read, decide, write until the write is not a {@link CommitOutcome.Conflict}.
 *
 * <h2>The contract</h2>
 * <ul>
 *   <li>{@link #read} returns what is stored now, with a version. A pool that was never written reads
 *       as {@link PoolSnapshot#absent}.</li>
 *   <li>{@link #commit} applies the change only if the pool's version still equals
 *       {@code expected}, else returns {@link CommitOutcome.Conflict} and changes nothing. With
 *       {@link PoolVersion#ABSENT} it creates the pool, and conflicts if someone else created it
 *       first.</li>
 *   <li>Reservations in {@link PoolChange#reserve()} are create-if-absent across the whole store:
 *       one held by another attachment makes the commit return
 *       {@link CommitOutcome.ReservationTaken} and change nothing.</li>
 *   <li>A change is all or nothing. A backend that cannot write several objects atomically
 *       (Kubernetes) must order its writes so that no address is ever held by two owners, and
 *       undo what it wrote when a later step refuses: the Kubernetes store writes the pool first,
 *       then creates the reservations, and removes released reservations last; a reservation held
 *       elsewhere makes it delete the ones it created and take its pool entries back (the pool's
 *       version moves on, its entries are as they were). A crash then leaves at most an entry or a
 *       reservation that nothing answered for, which blocks an address but never lets two owners
 *       hold it; the reconciler removes such leftovers ({@link #removeReservation}).</li>
 *   <li>Every call returns or throws within the store's configured timeout. Faults that a retry may
 *       fix throw {@link StoreUnavailableException} (CNI code 11).</li>
 *   <li>Implementations are safe for concurrent use by many threads, and by many processes on many
 *       nodes when the backend is shared.</li>
 * </ul>
 *
 * <p>The {@code store-tck} module checks all of this: run its {@code StoreContract} against your
 * store.
 *
 * @since 0.1
 */
public interface IpamStore extends AutoCloseable {

    /** A versioned read of one pool. */
    PoolSnapshot read(PoolKey key);

    /**
     * Applies {@code change} to the pool if its version is still {@code expected}.
     *
     * @return {@link CommitOutcome.Committed} with the new version, {@link CommitOutcome.Conflict} if
     *     the pool changed since it was read, or {@link CommitOutcome.ReservationTaken} if an address
     *     is reserved by another attachment; in the last two cases the pool holds what it held
     *     and no reservation was added or removed
     * @throws dev.whereabouts.ipam.api.PoolTooLargeException if the change grows the pool beyond
     *     what the store can hold (nothing written); the engine then fails only the requests that
     *     grew it
     * @throws StoreUnavailableException if the store cannot be reached or failed
     */
    CommitOutcome commit(PoolKey key, PoolVersion expected, PoolChange change);

    /**
     * The pool as this client's change feed last delivered it, if that is newer than {@code seen};
     * waits up to {@code maxWait} for such a change to arrive. An optional capability of shared
     * stores that can follow a pool (a Kubernetes watch, an etcd watch): the engine asks only for the
     * pools it writes, so a client follows those and nothing else.
     *
     * <p>Why: another node's write makes this client's next conditional write conflict, and without
     * a feed every conflict costs a read of the whole pool. With one, the engine decides on the
     * pool as delivered and, after a conflict, waits for the change that beat it instead of reading.
     *
     * <p>What is returned must be a state the pool really had, at the version given, later than
     * {@code seen}; it may already be outdated, since the conditional write stays the guard. The
     * default follows nothing and returns empty at once: the engine then reads.
     *
     * @param seen the newest version the caller knows of; {@link PoolVersion#ABSENT} for none
     * @param maxWait the longest this call may block; zero to only look
     * @return the newer snapshot, or empty when none arrived in time or the pool is not followed
     * @since 0.3
     */
    default Optional<PoolSnapshot> awaitNewer(PoolKey key, PoolVersion seen, Duration maxWait) {
        return Optional.empty();
    }

    /** Every pool in the store, for GC, the reconciler and the operator CLI. */
    List<PoolKey> pools();

    /** Every cluster-wide reservation in the store. */
    List<Reservation> reservations();

    /**
     * Removes a reservation if it is still held by {@code reservation.owner()} (same attachment).
     * Used to clean up reservations that no pool entry backs.
     *
     * @return whether a reservation was removed
     */
    boolean removeReservation(Reservation reservation);

    /**
     * Returns normally when the store could serve an ADD now; used by CNI STATUS.
     *
     * @throws StoreUnavailableException when it could not
     */
    void checkAvailable();

    /** Releases clients, connections and threads. No thread of the store outlives this call. */
    @Override
    void close();
}
