package dev.whereabouts.ipam.engine.alloc;

import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolSnapshot;
import dev.whereabouts.ipam.api.PoolTooLargeException;
import dev.whereabouts.ipam.spi.CommitOutcome;
import dev.whereabouts.ipam.spi.IpamStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The requests one leader serves together, and one read-decide-write round over them. Rounds repeat
 * until every request has its answer: a lost race decides the whole batch again on a fresh read, a
 * reservation found taken elsewhere re-picks only the request that wanted that address, and a
 * request whose own deadline passes, or whose range is exhausted, fails alone. A pool the store
 * cannot grow any further fails only the requests that picked new addresses.
 */
final class PoolBatch {

    /** What one round came to. */
    sealed interface Round {
        /** Written (or nothing to write on a fresh read): every request has its answer. */
        record Written(PoolSnapshot after) implements Round {}

        /** The pool moved since the snapshot; nothing was written. */
        record Stale() implements Round {}

        /** An address was reserved elsewhere; nothing was written; that request picks another. */
        record Repick() implements Round {}

        /** Nothing to write, but the snapshot came from memory: confirm on a fresh read. */
        record Unverified() implements Round {}

        /**
         * The store refused to grow the pool any further; nothing was written. The requests that
         * picked new addresses have that refusal as their answer; the rest go again without them.
         */
        record Full() implements Round {}

        /** The store failed; every open request has that failure as its answer. */
        record Failed() implements Round {}
    }

    private final PoolKey key;
    private final LaneMetrics metrics;
    private final List<PoolRequest> requests = new ArrayList<>();

    PoolBatch(PoolKey key) {
        this(key, new LaneMetrics());
    }

    PoolBatch(PoolKey key, LaneMetrics metrics) {
        this.key = key;
        this.metrics = metrics;
    }

    /** Requests taken into the batch so far, answered or not. */
    int size() {
        return requests.size();
    }

    void add(PoolRequest r) {
        requests.add(r);
    }

    /** Requests still waiting for an answer. */
    int open() {
        return (int) requests.stream().filter(r -> !r.answered()).count();
    }

    boolean done() {
        return open() == 0;
    }

    /** Fails the requests whose own time budget is spent. */
    void expire() {
        for (PoolRequest r : requests) {
            if (!r.answered() && r.deadline().expired()) {
                String what = r instanceof PoolRequest.Allocate ? "allocating in pool " : "releasing in pool ";
                try {
                    r.deadline().check(what + key);
                } catch (IpamException e) {
                    r.fail(e);
                }
            }
        }
    }

    /** The time left to the open request that has the least. */
    Duration timeLeft() {
        return requests.stream().filter(r -> !r.answered()).map(r -> r.deadline().remaining())
                .min(Duration::compareTo).orElse(Duration.ZERO);
    }

    void failAll(RuntimeException e) {
        requests.stream().filter(r -> !r.answered()).forEach(r -> r.fail(e));
    }

    /**
     * One round on {@code snapshot}.
     *
     * @param fresh whether the snapshot was just read from the store (rather than kept in memory):
     *     only a fresh read may answer without a write, because only a write checks the version
     * @param spread see {@link RoundPlan#decide}
     */
    Round round(IpamStore store, PoolSnapshot snapshot, boolean fresh, long spread, RandomGenerator random) {
        RoundPlan plan = RoundPlan.decide(key, snapshot, requests, spread, random);
        PoolChange change = plan.change();
        if (change.isEmpty()) {
            if (!fresh) {
                return new Round.Unverified();
            }
            plan.answerAll();
            return new Round.Written(snapshot);
        }
        CommitOutcome outcome;
        try {
            outcome = store.commit(key, snapshot.version(), change);
        } catch (PoolTooLargeException e) {
            metrics.writeError.inc();
            if (plan.failGrowing(e)) {
                return new Round.Full();
            }
            failAll(e);
            return new Round.Failed();
        } catch (RuntimeException e) {
            metrics.writeError.inc();
            failAll(e);
            return new Round.Failed();
        }
        return switch (outcome) {
            case CommitOutcome.Committed c -> {
                metrics.committed.inc();
                plan.answerAll();
                yield new Round.Written(new PoolSnapshot(key, c.version(), plan.after()));
            }
            case CommitOutcome.Conflict c -> {
                metrics.conflict.inc();
                yield new Round.Stale();
            }
            case CommitOutcome.ReservationTaken t -> {
                metrics.reservationTaken.inc();
                yield repick(plan, t);
            }
        };
    }

    private Round repick(RoundPlan plan, CommitOutcome.ReservationTaken taken) {
        IpAddress ip = taken.holder().ip();
        Optional<PoolRequest.Allocate> wanting = plan.wanting(ip);
        if (wanting.isEmpty()) {
            return new Round.Stale(); // not an address of this round: the pool itself must have moved
        }
        // A fresh pick goes on to the next free address. A held entry whose reservation another
        // attachment holds lost it to a crash between the pool write and the claim, and an
        // overlapping range gave the address away since: the next round drops the entry and picks
        // a fresh address for the request (RoundPlan.dropLostEntries).
        wanting.get().skip().add(ip);
        return new Round.Repick();
    }
}
