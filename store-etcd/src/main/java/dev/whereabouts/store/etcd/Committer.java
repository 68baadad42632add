package dev.whereabouts.store.etcd;

import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.spi.CommitOutcome;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The conditional write: one etcd transaction that compares the pool's meta key and every
 * reservation it writes, and then writes the allocations, the reservations and the meta key
 * together. See the package documentation for the transaction's shape.
 */
final class Committer {

    /** Rounds in which only reservation guesses were wrong; the pool version still matched. */
    private static final int ATTEMPTS = 8;

    private final KV kv;
    private final KeyLayout layout;
    private final Calls calls;
    private final int maxTxnOps;

    Committer(KV kv, KeyLayout layout, Calls calls, int maxTxnOps) {
        this.kv = kv;
        this.layout = layout;
        this.calls = calls;
        this.maxTxnOps = maxTxnOps;
    }

    CommitOutcome commit(PoolKey key, PoolVersion expected, PoolChange change) {
        ChangePlan plan = ChangePlan.of(layout, change);
        // One slot for the meta key in every branch.
        List<List<ChangePlan.Unit>> chunks = plan.chunks(Math.max(1, maxTxnOps - 1));
        Map<ByteSequence, ReservationState> beliefs = new HashMap<>();
        if (chunks.size() == 1) {
            plan.intents().forEach(i -> beliefs.put(i.key(), i.initialBelief()));
            return commitChunk(calls.deadline(), key, expected, chunks.getFirst(), plan.reserveOrder(), beliefs);
        }
        // Too big for one transaction (a large GC): read every reservation first so that a taken
        // one refuses the change before anything is written, then write address by address.
        for (List<ChangePlan.Intent> batch : batches(plan.intents(), Math.max(1, maxTxnOps))) {
            readInto(calls.deadline(), batch, beliefs);
        }
        CommitOutcome.ReservationTaken taken = firstTaken(plan.reserveOrder(), beliefs);
        if (taken != null) {
            return taken;
        }
        PoolVersion version = expected;
        for (List<ChangePlan.Unit> chunk : chunks) {
            // A split change is bounded per transaction: a large GC must not fail for being large.
            CommitOutcome outcome = commitChunk(calls.deadline(), key, version, chunk, plan.reserveOrder(), beliefs);
            if (!(outcome instanceof CommitOutcome.Committed(PoolVersion v))) {
                return outcome;
            }
            version = v;
        }
        return new CommitOutcome.Committed(version);
    }

    private CommitOutcome commitChunk(long deadline, PoolKey key, PoolVersion expected, List<ChangePlan.Unit> units,
            List<ChangePlan.Reserve> reserveOrder, Map<ByteSequence, ReservationState> beliefs) {
        ByteSequence meta = layout.meta(key);
        Cmp metaGuard;
        if (expected.absent()) {
            metaGuard = new Cmp(meta, Cmp.Op.EQUAL, CmpTarget.createRevision(0));
        } else {
            try {
                metaGuard = new Cmp(meta, Cmp.Op.EQUAL, CmpTarget.modRevision(Long.parseLong(expected.token())));
            } catch (NumberFormatException e) {
                return new CommitOutcome.Conflict();  // not a version this store handed out
            }
        }
        List<ChangePlan.Intent> intents = units.stream().flatMap(u -> u.intents().stream()).toList();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            CommitOutcome.ReservationTaken taken = firstTaken(reserveOrder, beliefs);
            if (taken != null) {
                return taken;
            }
            List<Cmp> guards = new ArrayList<>(List.of(metaGuard));
            List<Op> writes = new ArrayList<>();
            for (ChangePlan.Unit u : units) {
                ChangePlan.AllocationOp a = u.allocation();
                if (a != null) {
                    ByteSequence k = layout.allocation(key, a.ip());
                    writes.add(a.owner() == null ? Op.delete(k, DeleteOption.DEFAULT)
                            : Op.put(k, Values.owner(a.owner()), PutOption.DEFAULT));
                }
            }
            for (ChangePlan.Intent i : intents) {
                ReservationState now = beliefs.get(i.key());
                Reservation after = i.outcome(now.held());
                if (after == now.held()) {
                    continue;
                }
                guards.add(now.guard(i.key()));
                writes.add(after == null ? Op.delete(i.key(), DeleteOption.DEFAULT)
                        : Op.put(i.key(), Values.reservation(after), PutOption.DEFAULT));
            }
            // Rewriting the meta key bumps its mod revision: that is the new pool version.
            writes.add(Op.put(meta, Values.pool(key), PutOption.DEFAULT));
            List<Op> reads = new ArrayList<>(List.of(Op.get(meta, GetOption.DEFAULT)));
            intents.forEach(i -> reads.add(Op.get(i.key(), GetOption.DEFAULT)));

            TxnResponse r = calls.run(deadline, "commit pool " + key, () -> kv.txn()
                    .If(guards.toArray(Cmp[]::new))
                    .Then(writes.toArray(Op[]::new))
                    .Else(reads.toArray(Op[]::new))
                    .commit());
            if (r.isSucceeded()) {
                return new CommitOutcome.Committed(new PoolVersion(Long.toString(r.getHeader().getRevision())));
            }
            List<GetResponse> got = r.getGetResponses();
            List<KeyValue> metaNow = got.getFirst().getKvs();
            boolean sameVersion = expected.absent() ? metaNow.isEmpty()
                    : !metaNow.isEmpty() && Long.toString(metaNow.getFirst().getModRevision()).equals(expected.token());
            if (!sameVersion) {
                return new CommitOutcome.Conflict();
            }
            // Only a reservation guess was wrong: retry with what the failed transaction saw.
            for (int n = 0; n < intents.size(); n++) {
                beliefs.put(intents.get(n).key(), ReservationState.observed(got.get(n + 1).getKvs()));
            }
        }
        return new CommitOutcome.Conflict();
    }

    private static CommitOutcome.ReservationTaken firstTaken(List<ChangePlan.Reserve> order,
            Map<ByteSequence, ReservationState> beliefs) {
        for (ChangePlan.Reserve want : order) {
            ReservationState s = beliefs.get(want.key());
            if (s != null && s.held() != null && !s.held().owner().sameAttachment(want.wanted().owner())) {
                return new CommitOutcome.ReservationTaken(s.held());
            }
        }
        return null;
    }

    private void readInto(long deadline, List<ChangePlan.Intent> batch, Map<ByteSequence, ReservationState> beliefs) {
        List<Op> reads = batch.stream().map(i -> (Op) Op.get(i.key(), GetOption.DEFAULT)).toList();
        TxnResponse r = calls.run(deadline, "read reservations", () -> kv.txn().Then(reads.toArray(Op[]::new)).commit());
        for (int n = 0; n < batch.size(); n++) {
            beliefs.put(batch.get(n).key(), ReservationState.observed(r.getGetResponses().get(n).getKvs()));
        }
    }

    private static <T> List<List<T>> batches(List<T> items, int size) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i += size) {
            out.add(items.subList(i, Math.min(items.size(), i + size)));
        }
        return out;
    }
}
