package dev.whereabouts.store.etcd;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.Reservation;
import io.etcd.jetcd.ByteSequence;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link PoolChange} folded into at most one write per etcd key (etcd refuses a transaction that
 * names a key twice), grouped by address so that an allocation and its reservations always land in
 * the same transaction, even when a huge change must be split.
 *
 * @param units one per address the change touches, in change order
 * @param reserveOrder the change's reservations in order, for reporting the first one that is taken
 */
record ChangePlan(List<Unit> units, List<Reserve> reserveOrder) {

    /** One allocation write: {@code owner} null means delete. */
    record AllocationOp(IpAddress ip, Owner owner) {}

    /** Everything the change asks of one reservation key, in order: reserves first, then unreserves. */
    record Intent(ByteSequence key, List<Reservation> reserve, List<Reservation> unreserve) {

        /** The first guess of what the key holds, before anything was read. */
        ReservationState initialBelief() {
            return reserve.isEmpty() ? ReservationState.assumedHeld(unreserve.getFirst()) : ReservationState.ASSUMED_ABSENT;
        }

        /** What the key should hold after the change, given what it holds now (null: nothing). */
        Reservation outcome(Reservation now) {
            Reservation cur = now;
            for (Reservation r : reserve) {
                cur = r;
            }
            for (Reservation u : unreserve) {
                if (cur != null && cur.owner().sameAttachment(u.owner())) {
                    cur = null;
                }
            }
            return cur;
        }
    }

    /** The writes of one address. */
    record Unit(AllocationOp allocation, List<Intent> intents) {
        int ops() {
            return (allocation == null ? 0 : 1) + intents.size();
        }
    }

    /** One requested reservation and its key. */
    record Reserve(ByteSequence key, Reservation wanted) {}

    static ChangePlan of(KeyLayout layout, PoolChange change) {
        Map<IpAddress, AllocationOp> allocations = new LinkedHashMap<>();
        for (Allocation a : change.put()) {
            allocations.put(a.ip(), new AllocationOp(a.ip(), a.owner()));
        }
        for (IpAddress ip : change.remove()) {
            // Put then remove, as the reference store applies them: a remove of a put address wins.
            allocations.put(ip, new AllocationOp(ip, null));
        }
        Map<ByteSequence, List<Reservation>> reserves = new LinkedHashMap<>();
        Map<ByteSequence, List<Reservation>> unreserves = new LinkedHashMap<>();
        Map<ByteSequence, IpAddress> addressOf = new LinkedHashMap<>();
        List<Reserve> order = new ArrayList<>();
        for (Reservation r : change.reserve()) {
            ByteSequence key = layout.reservation(r.networkName(), r.ip());
            reserves.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
            addressOf.put(key, r.ip());
            order.add(new Reserve(key, r));
        }
        for (Reservation r : change.unreserve()) {
            ByteSequence key = layout.reservation(r.networkName(), r.ip());
            unreserves.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
            addressOf.putIfAbsent(key, r.ip());
        }
        Map<IpAddress, List<Intent>> intentsByIp = new LinkedHashMap<>();
        for (Map.Entry<ByteSequence, IpAddress> e : addressOf.entrySet()) {
            ByteSequence key = e.getKey();
            intentsByIp.computeIfAbsent(e.getValue(), ip -> new ArrayList<>()).add(new Intent(key,
                    List.copyOf(reserves.getOrDefault(key, List.of())), List.copyOf(unreserves.getOrDefault(key, List.of()))));
        }
        List<Unit> units = new ArrayList<>();
        for (AllocationOp op : allocations.values()) {
            units.add(new Unit(op, intentsByIp.getOrDefault(op.ip(), List.of())));
        }
        for (Map.Entry<IpAddress, List<Intent>> e : intentsByIp.entrySet()) {
            if (!allocations.containsKey(e.getKey())) {
                units.add(new Unit(null, e.getValue()));
            }
        }
        return new ChangePlan(List.copyOf(units), List.copyOf(order));
    }

    /** The plan's units in groups that each fit one transaction of at most {@code maxOps} operations. */
    List<List<Unit>> chunks(int maxOps) {
        List<List<Unit>> out = new ArrayList<>();
        List<Unit> current = new ArrayList<>();
        int ops = 0;
        for (Unit u : units) {
            if (!current.isEmpty() && ops + u.ops() > maxOps) {
                out.add(current);
                current = new ArrayList<>();
                ops = 0;
            }
            current.add(u);
            ops += u.ops();
        }
        out.add(current);
        return out;
    }

    List<Intent> intents() {
        return units.stream().flatMap(u -> u.intents().stream()).toList();
    }
}
