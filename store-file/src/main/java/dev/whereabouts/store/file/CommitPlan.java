package dev.whereabouts.store.file;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.Reservation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns a {@link PoolChange} into file steps, in the order that is safe even without the journal:
 * reservations written first, the pool second, reservations removed last.
 */
final class CommitPlan {

    /** Reads a reservation file; empty when absent. */
    @FunctionalInterface
    interface ReservationReader {
        Optional<Reservation> read(Path file) throws IOException;
    }

    /** What a commit will do. */
    sealed interface Outcome {}

    /** Another attachment holds {@code holder}; nothing is to be written. */
    record Taken(Reservation holder) implements Outcome {}

    /** The steps to take, the pool content they produce and its text (also in the pool's step). */
    record Steps(PoolFile pool, String poolText, List<FileOp> steps) implements Outcome {}

    private CommitPlan() {}

    /**
     * Plans {@code change} on top of {@code current} ({@code null} for a pool that does not exist).
     * Every reservation the change names is read once, through {@code reader}.
     */
    static Outcome plan(Layout layout, PoolKey key, PoolFile current, String newIncarnation, PoolChange change,
            ReservationReader reader) throws IOException {
        Map<Path, Optional<Reservation>> stored = new HashMap<>();
        for (Reservation wanted : change.reserve()) {
            Optional<Reservation> held = load(layout, wanted, stored, reader);
            if (held.isPresent() && !held.get().owner().sameAttachment(wanted.owner())) {
                return new Taken(held.get());
            }
        }
        for (Reservation gone : change.unreserve()) {
            load(layout, gone, stored, reader);
        }
        // The final state of every touched reservation file: reserve first, then unreserve, as the
        // contract orders them.
        Map<Path, Optional<Reservation>> wantedState = new LinkedHashMap<>();
        for (Reservation r : change.reserve()) {
            wantedState.put(layout.reservationFile(r.networkName(), r.ip()), Optional.of(r));
        }
        for (Reservation r : change.unreserve()) {
            Path p = layout.reservationFile(r.networkName(), r.ip());
            Optional<Reservation> now = wantedState.getOrDefault(p, stored.get(p));
            if (now.isPresent() && now.get().owner().sameAttachment(r.owner())) {
                wantedState.put(p, Optional.empty());
            }
        }

        TreeMap<IpAddress, Owner> allocations = current == null ? new TreeMap<>() : new TreeMap<>(current.allocations());
        for (Allocation a : change.put()) {
            allocations.put(a.ip(), a.owner());
        }
        for (IpAddress ip : change.remove()) {
            allocations.remove(ip);
        }
        PoolFile next = current == null
                ? new PoolFile(key, 1, newIncarnation, allocations)
                : current.next(allocations);

        List<FileOp> writes = new ArrayList<>();
        List<FileOp> deletes = new ArrayList<>();
        wantedState.forEach((path, state) -> {
            Optional<Reservation> before = stored.get(path);
            if (state.isPresent() && !state.equals(before)) {
                writes.add(new FileOp.Write(path, ReservationText.text(state.get())));
            } else if (state.isEmpty() && before.isPresent()) {
                deletes.add(new FileOp.Delete(path));
            }
        });
        List<FileOp> steps = new ArrayList<>(writes.size() + deletes.size() + 1);
        steps.addAll(writes);
        String text = next.text();
        steps.add(new FileOp.Write(layout.poolFile(key), text));
        steps.addAll(deletes);
        return new Steps(next, text, steps);
    }

    private static Optional<Reservation> load(Layout layout, Reservation r, Map<Path, Optional<Reservation>> cache,
            ReservationReader reader) throws IOException {
        Path p = layout.reservationFile(r.networkName(), r.ip());
        Optional<Reservation> held = cache.get(p);
        if (held == null) {
            held = reader.read(p);
            cache.put(p, held);
        }
        return held;
    }
}
