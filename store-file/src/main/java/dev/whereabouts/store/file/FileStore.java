package dev.whereabouts.store.file;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolSnapshot;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.api.StoreUnavailableException;
import dev.whereabouts.ipam.spi.CommitOutcome;
import dev.whereabouts.ipam.spi.IpamStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The file store; see the package documentation for the layout and the protocol. */
final class FileStore implements IpamStore {

    private static final Logger LOG = LoggerFactory.getLogger(FileStore.class);

    private final Path configuredDir;
    private final Duration lockTimeout;
    private final ParsedPools parsed = new ParsedPools();
    private Layout layout; // guarded by this
    private DirLock lock; // guarded by this
    private boolean closed; // guarded by this

    FileStore(Path dataDir, Duration lockTimeout) {
        this.configuredDir = dataDir;
        this.lockTimeout = lockTimeout;
    }

    @Override
    public PoolSnapshot read(PoolKey key) {
        checkKey(key);
        Layout l = start();
        Path file = l.poolFile(key);
        // Under the lock: a journalled commit writes the pool file in place, so only the lock (whose
        // holder first finishes any commit a dead process left) guarantees a whole file. In the
        // daemon reads are rare: the engine keeps its pools warm and the commit checks the version.
        return io(() -> locked(() -> snapshot(l, key, DataFiles.pool(file, key, parsed))));
    }

    @Override
    public CommitOutcome commit(PoolKey key, PoolVersion expected, PoolChange change) {
        // refuse bad input before touching the disk, so a bad configuration reads as one
        checkKey(key);
        change.put().stream().map(Allocation::owner).forEach(Names::checkOwner);
        for (List<Reservation> rs : List.of(change.reserve(), change.unreserve())) {
            for (Reservation r : rs) {
                Names.checkScope("network_name", r.networkName());
                Names.checkOwner(r.owner());
            }
        }
        Layout l = start();
        Path file = l.poolFile(key);
        return io(() -> locked(() -> {
            PoolFile current = DataFiles.pool(file, key, parsed);
            PoolVersion now = current == null ? PoolVersion.ABSENT : current.version();
            if (!now.equals(expected)) {
                return new CommitOutcome.Conflict();
            }
            for (Allocation a : change.put()) {
                Optional<HostLocalFiles.Entry> held = HostLocalFiles.at(l.dataDir(), a.ip());
                if (held.isPresent() && !held.get().owner().sameAttachment(a.owner())) {
                    return new CommitOutcome.Conflict(); // appeared since the read: read again
                }
            }
            String incarnation = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
            CommitPlan.Outcome plan = CommitPlan.plan(l, key, current, incarnation, change,
                    f -> DataFiles.reservation(l, f));
            return switch (plan) {
                case CommitPlan.Taken t -> new CommitOutcome.ReservationTaken(t.holder());
                case CommitPlan.Steps s -> {
                    if (s.steps().size() == 1) {
                        AtomicFiles.write(file, s.poolText());
                    } else {
                        Journal.commit(l, s.steps());
                    }
                    parsed.remember(file, s.poolText(), s.pool());
                    // After the pool write: a crash in between leaves the address taken by its old
                    // owner, whose next DEL finds and frees it again; never two owners.
                    for (IpAddress ip : change.remove()) {
                        Optional<HostLocalFiles.Entry> gone = HostLocalFiles.at(l.dataDir(), ip);
                        if (gone.isPresent()) {
                            AtomicFiles.delete(gone.get().file());
                            LOG.info("released {} reserved by host-local for {}", ip, gone.get().owner().attachment());
                        }
                    }
                    yield new CommitOutcome.Committed(s.pool().version());
                }
            };
        }));
    }

    @Override
    public List<PoolKey> pools() {
        Layout l = start();
        return io(() -> locked(() -> {
            List<PoolKey> keys = new ArrayList<>();
            for (Path p : l.poolFiles()) {
                keys.add(DataFiles.anyPool(p, parsed).key());
            }
            return keys;
        }));
    }

    @Override
    public List<Reservation> reservations() {
        Layout l = start();
        return io(() -> locked(() -> {
            List<Reservation> all = new ArrayList<>();
            for (Path p : l.reservationFiles()) {
                DataFiles.reservation(l, p).ifPresent(all::add);
            }
            return all;
        }));
    }

    @Override
    public boolean removeReservation(Reservation reservation) {
        Names.checkScope("network_name", reservation.networkName());
        Layout l = start();
        Path file = l.reservationFile(reservation.networkName(), reservation.ip());
        return io(() -> locked(() -> {
            Optional<Reservation> held = DataFiles.reservation(l, file);
            if (held.isEmpty() || !held.get().owner().sameAttachment(reservation.owner())) {
                return false;
            }
            AtomicFiles.delete(file);
            return true;
        }));
    }

    @Override
    public void checkAvailable() {
        Layout l = start();
        io(() -> locked(() -> {
            for (Path dir : List.of(l.dataDir(), l.poolsDir(), l.reservationsDir())) {
                if (!Files.isWritable(dir)) {
                    throw new IOException(dir + " is not writable");
                }
            }
            return null;
        }));
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // nothing is held between calls: each call opens and closes the lock file itself
        lock = null;
    }

    /** Creates the directories, shares the lock and tidies up after crashed writers, once. */
    private synchronized Layout start() {
        if (closed) {
            throw new IllegalStateException("file store " + configuredDir + " is closed");
        }
        if (layout != null) {
            return layout;
        }
        Layout l = io(() -> {
            AtomicFiles.ensureDir(configuredDir);
            return new Layout(configuredDir.toRealPath());
        });
        DirLock shared = DirLock.of(l.lockFile());
        io(() -> shared.call(lockTimeout, () -> {
            AtomicFiles.ensureDir(l.poolsDir());
            AtomicFiles.ensureDir(l.reservationsDir());
            Journal.recover(l);
            AtomicFiles.removeTemps(l.writableDirs());
            return null;
        }));
        layout = l;
        lock = shared;
        LOG.debug("file store opened at {}", l.dataDir());
        return l;
    }

    private <T> T locked(DirLock.Locked<T> action) throws IOException {
        DirLock shared;
        Layout l;
        synchronized (this) {
            shared = lock;
            l = layout;
        }
        if (shared == null) {
            throw new IllegalStateException("file store " + configuredDir + " is closed");
        }
        return shared.call(lockTimeout, () -> {
            Journal.recover(l);
            return action.run();
        });
    }

    private static void checkKey(PoolKey key) {
        Names.checkScope("network_name", key.networkName());
        Names.checkScope("node_name", key.nodeName());
    }

    /** The pool as stored, plus what host-local reserved in its range before we took the directory over. */
    private static PoolSnapshot snapshot(Layout l, PoolKey key, PoolFile pool) throws IOException {
        PoolSnapshot own = pool == null ? PoolSnapshot.absent(key) : pool.snapshot();
        Map<IpAddress, HostLocalFiles.Entry> old = HostLocalFiles.in(l.dataDir(), key.range());
        if (old.isEmpty()) {
            return own;
        }
        Map<IpAddress, Owner> all = new TreeMap<>();
        old.forEach((ip, e) -> all.put(ip, e.owner()));
        all.putAll(own.allocations());
        return PoolSnapshot.of(key, own.version(), all);
    }

    private <T> T io(DirLock.Locked<T> action) {
        try {
            return action.run();
        } catch (IOException e) {
            throw new StoreUnavailableException("file store " + configuredDir + ": " + e, e);
        } catch (IllegalArgumentException e) {
            // only a damaged journal gets here: everything else wraps its own parse errors
            throw DataFiles.damaged(configuredDir.resolve("journal"), e.getMessage(), e);
        }
    }
}
