package dev.whereabouts.ipam.engine.alloc;

import dev.whereabouts.metrics.Counter;
import dev.whereabouts.metrics.Histogram;
import dev.whereabouts.metrics.MetricRegistry;
import java.util.Collection;

/**
 * What the group-commit lanes of one engine count: store reads and conditional writes by outcome,
 * extra rounds by reason, contention turns and batch sizes; and, read when scraped, each pool's size
 * and use as the lanes last saw them, so a scrape costs no store read. Counting is a lock-free add
 * on a series fixed here, so the lanes pay nothing measurable for it.
 */
final class LaneMetrics {

    private final Counter reads = Counter.create("whereabouts_pool_reads_total",
            "Pool reads by the allocator, by outcome: ok, error; fed (the store's change feed delivered "
                    + "a newer pool, so nothing was read). A warm pool saves the rest.", "outcome");
    private final Counter writes = Counter.create("whereabouts_pool_writes_total",
            "Conditional pool writes, by outcome: committed; conflict (another writer was first); "
                    + "reservation_taken (an address is reserved by another range); error (the store failed).",
            "outcome");
    private final Counter retries = Counter.create("whereabouts_pool_retries_total",
            "Rounds a batch ran again, by reason: conflict (lost a race, or saw it coming: fresh read); "
                    + "repick (an address was reserved elsewhere); confirm (nothing to write on the warm copy).",
            "reason");
    private final Counter turns = Counter.create("whereabouts_pool_contention_turns_total",
            "Turns taken on a contended pool through the store's contention lock.");
    private final Histogram batches = Histogram.create("whereabouts_pool_batch_requests",
            "CNI requests one group-commit batch served (its count is the number of batches).",
            new double[] {1, 2, 4, 8, 16, PoolLane.MAX_BATCH});

    final Counter.Child readOk = reads.labels("ok");
    final Counter.Child readError = reads.labels("error");
    final Counter.Child readFed = reads.labels("fed");
    final Counter.Child committed = writes.labels("committed");
    final Counter.Child conflict = writes.labels("conflict");
    final Counter.Child reservationTaken = writes.labels("reservation_taken");
    final Counter.Child writeError = writes.labels("error");
    final Counter.Child retryConflict = retries.labels("conflict");
    final Counter.Child retryRepick = retries.labels("repick");
    final Counter.Child retryConfirm = retries.labels("confirm");
    final Counter.Child turnsTaken = turns.labels();
    final Histogram.Child batchRequests = batches.labels();

    /** Registers the counters and the pool gauges over {@code lanes} (a live view) in {@code registry}. */
    void register(MetricRegistry registry, Collection<PoolLane> lanes) {
        registry.register(reads);
        registry.register(writes);
        registry.register(retries);
        registry.register(turns);
        registry.register(batches);
        registry.gaugeCallback("whereabouts_pool_size",
                "Addresses a pool can hand out (its window less excludes and gateway), as the last ADD "
                        + "in this process planned it.",
                s -> lanes.forEach(l -> l.size().ifPresent(v -> s.add(v, l.key().objectName()))), "pool");
        registry.gaugeCallback("whereabouts_pool_used",
                "Addresses allocated in a pool, as this process last read or wrote it.",
                s -> lanes.forEach(l -> l.used().ifPresent(v -> s.add(v, l.key().objectName()))), "pool");
    }
}
