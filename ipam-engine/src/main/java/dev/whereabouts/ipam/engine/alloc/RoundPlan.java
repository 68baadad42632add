package dev.whereabouts.ipam.engine.alloc;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolExhaustedException;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolSnapshot;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.api.SortedAllocations;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The decisions of one round of a batch on one snapshot: what each request gets and the single
 * {@link PoolChange} that writes all of it. Requests are decided in arrival order, each seeing what
 * the earlier ones decided, so a batch means exactly what the same requests would mean one after
 * another: an ADD then a DEL of one attachment leaves nothing, two ADDs of one attachment get one
 * address, and no address is given to two requests.
 *
 * <p>Pure: it reads the snapshot and the requests and writes nothing but its own fields, which is
 * what lets the simulation replay a seed exactly.
 */
final class RoundPlan {

    private final PoolKey key;
    private final PoolSnapshot snapshot;
    /** Entries this round writes, by address, with the request that wrote each. */
    private final Map<IpAddress, Owner> put = new LinkedHashMap<>();
    private final Map<IpAddress, PoolRequest.Allocate> putBy = new HashMap<>();
    /** Snapshot entries this round removes (with their owner, for the reservation). */
    private final Map<IpAddress, Owner> removed = new LinkedHashMap<>();
    private final Set<IpAddress> overlappingRemoved = new HashSet<>();
    /** Addresses this round picked fresh; never reused within the round, even if released again. */
    private final Set<IpAddress> picked = new LinkedHashSet<>();
    private final Set<IpAddress> reserved = new HashSet<>();
    private final Map<PoolRequest, Object> outcomes = new LinkedHashMap<>();

    private final long spread;
    private final RandomGenerator random;

    private RoundPlan(PoolKey key, PoolSnapshot snapshot, long spread, RandomGenerator random) {
        this.key = key;
        this.snapshot = snapshot;
        this.spread = spread;
        this.random = random;
    }

    /**
     * Decides every unanswered request; a request that cannot be served here (exhausted) is failed
     * alone.
     *
     * @param spread 0 to take the lowest free address; else each fresh pick lands at a random
     *     distance below {@code spread} above the lowest free one, so that nodes racing for one
     *     contended pool stop reaching for the same addresses
     */
    static RoundPlan decide(PoolKey key, PoolSnapshot snapshot, List<PoolRequest> requests, long spread,
            RandomGenerator random) {
        RoundPlan plan = new RoundPlan(key, snapshot, spread, random);
        for (PoolRequest r : requests) {
            if (r.answered()) {
                continue;
            }
            try {
                switch (r) {
                    case PoolRequest.Allocate a -> plan.outcomes.put(a, plan.allocate(a));
                    case PoolRequest.Release rel -> plan.outcomes.put(rel, plan.release(rel));
                }
            } catch (IpamException e) {
                r.fail(e);
            }
        }
        return plan;
    }

    private Allocator.Taken allocate(PoolRequest.Allocate a) {
        dropLostEntries(a);
        Optional<Map.Entry<IpAddress, Owner>> held = heldBy(a.owner());
        if (held.isPresent()) {
            IpAddress ip = held.get().getKey();
            // A re-created sandbox of the same pod moves the entry to itself. Where ranges may
            // overlap, an unchanged stored entry is written again too, so that its reservation is
            // claimed before the answer: a store that writes the pool before the reservations
            // (Kubernetes) can lose the reservation to a crash in between, and then only this claim
            // stops an overlapping range from handing the same address to someone else. An entry
            // this round writes already is claimed with it, and stays its first writer's to re-pick.
            boolean moved = !held.get().getValue().equals(a.owner());
            if (moved || (a.overlapping() && !put.containsKey(ip))) {
                write(ip, a, false);
            }
            return new Allocator.Taken(key, ip, false);
        }
        Set<IpAddress> skip = new HashSet<>(a.skip());
        skip.addAll(put.keySet());
        skip.addAll(picked);
        IpAddress lowest = LowestFree.find(a.plan(), snapshot.allocations(), skip)
                .orElseThrow(() -> new PoolExhaustedException(a.plan().exhaustedMessage(), key));
        IpAddress ip = spread <= 1 ? lowest : spreadFrom(a.plan(), lowest, skip);
        picked.add(ip);
        write(ip, a, true);
        return new Allocator.Taken(key, ip, true);
    }

    private IpAddress spreadFrom(RangePlan plan, IpAddress lowest, Set<IpAddress> skip) {
        IpAddress from;
        try {
            from = lowest.plus(random.nextLong(spread));
        } catch (ArithmeticException e) {
            return lowest;
        }
        return LowestFree.findFrom(plan, snapshot.allocations(), skip, from).orElse(lowest);
    }

    private void write(IpAddress ip, PoolRequest.Allocate a, boolean fresh) {
        put.put(ip, a.owner());
        putBy.putIfAbsent(ip, a); // the first writer picked it: a re-pick is that request's
        if (a.overlapping()) {
            reserved.add(ip);
        }
    }

    /**
     * Removes the entries of this attachment whose address an earlier round found reserved by
     * another attachment ({@link PoolBatch}): such an entry lost its reservation to a crash between
     * the two writes and an overlapping range has given the address away since. The address is not
     * this pool's to give, and the reservation is not ours to release; the request gets a fresh
     * address instead.
     */
    private void dropLostEntries(PoolRequest.Allocate a) {
        for (IpAddress ip : a.skip()) {
            Owner stored = snapshot.allocations().get(ip);
            if (stored != null && stored.sameAttachment(a.owner()) && !removed.containsKey(ip) && !put.containsKey(ip)) {
                remove(ip, stored, false);
            }
        }
    }

    /** The entry the owner's attachment holds in the pool as this round has changed it so far. */
    private Optional<Map.Entry<IpAddress, Owner>> heldBy(Owner owner) {
        for (Map.Entry<IpAddress, Owner> e : put.entrySet()) {
            if (e.getValue().sameAttachment(owner)) {
                return Optional.of(e);
            }
        }
        SortedAllocations stored = allocations();
        for (IpAddress ip : stored.heldByContainerOrPod(owner.containerId(), owner.podRef())) {
            Owner o = stored.get(ip);
            if (o.sameAttachment(owner) && !removed.containsKey(ip) && !put.containsKey(ip)) {
                return Optional.of(Map.entry(ip, o));
            }
        }
        return Optional.empty();
    }

    private List<IpAddress> release(PoolRequest.Release rel) {
        List<IpAddress> out = new ArrayList<>();
        for (var it = put.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<IpAddress, Owner> e = it.next();
            if (rel.match().test(e.getKey(), e.getValue())) {
                it.remove();
                putBy.remove(e.getKey());
                reserved.remove(e.getKey());
                out.add(e.getKey());
                Owner stored = snapshot.allocations().get(e.getKey());
                if (stored != null) {
                    remove(e.getKey(), stored, rel.overlapping()); // a re-assigned entry is in the store
                }
            }
        }
        SortedAllocations stored = allocations();
        // A DEL names its container: only that container's entries can match. A GC matches anything.
        Map<IpAddress, Owner> candidates = stored;
        if (rel.container().isPresent()) {
            candidates = new LinkedHashMap<>();
            for (IpAddress ip : stored.heldByContainerOrPod(rel.container().get(), "")) {
                candidates.put(ip, stored.get(ip));
            }
        }
        for (Map.Entry<IpAddress, Owner> e : candidates.entrySet()) {
            IpAddress ip = e.getKey();
            // An entry removed above (re-assigned in this round) is in `removed` already.
            if (rel.match().test(ip, e.getValue()) && !removed.containsKey(ip)) {
                remove(ip, e.getValue(), rel.overlapping());
                out.add(ip);
            }
        }
        return List.copyOf(out);
    }

    private void remove(IpAddress ip, Owner stored, boolean overlapping) {
        removed.put(ip, stored);
        if (overlapping) {
            overlappingRemoved.add(ip);
        }
    }

    /** The one conditional write for the whole round. */
    PoolChange change() {
        List<Allocation> puts = new ArrayList<>();
        List<Reservation> reserve = new ArrayList<>();
        put.forEach((ip, owner) -> {
            puts.add(new Allocation(ip, owner));
            if (reserved.contains(ip)) {
                reserve.add(new Reservation(key.networkName(), ip, owner));
            }
        });
        List<Reservation> unreserve = new ArrayList<>();
        removed.forEach((ip, owner) -> {
            if (overlappingRemoved.contains(ip)) {
                unreserve.add(new Reservation(key.networkName(), ip, owner));
            }
        });
        return new PoolChange(puts, List.copyOf(removed.keySet()), reserve, unreserve);
    }

    /** The request that wants {@code ip} written in this round, if any. */
    Optional<PoolRequest.Allocate> wanting(IpAddress ip) {
        return Optional.ofNullable(putBy.get(ip));
    }

    /**
     * Fails with {@code e} the requests that picked a new address in this round, the ones that grow
     * the pool; the others keep no answer and are decided again in the next round.
     *
     * @return whether there was any such request
     */
    boolean failGrowing(RuntimeException e) {
        boolean any = false;
        for (Map.Entry<PoolRequest, Object> o : outcomes.entrySet()) {
            if (o.getKey() instanceof PoolRequest.Allocate a && ((Allocator.Taken) o.getValue()).fresh()) {
                a.fail(e);
                any = true;
            }
        }
        return any;
    }

    /** Hands every decided request its answer: call only once the change is written. */
    void answerAll() {
        outcomes.forEach((r, outcome) -> {
            switch (r) {
                case PoolRequest.Allocate a -> a.answer().complete((Allocator.Taken) outcome);
                case PoolRequest.Release rel -> {
                    @SuppressWarnings("unchecked")
                    List<IpAddress> released = (List<IpAddress>) outcome;
                    rel.answer().complete(released);
                }
            }
        });
    }

    /** What the pool holds once the change is written, to serve the next round without a read. */
    SortedAllocations after() {
        return allocations().with(put, removed.keySet());
    }

    private SortedAllocations allocations() {
        return SortedAllocations.copyOf(snapshot.allocations());
    }
}
