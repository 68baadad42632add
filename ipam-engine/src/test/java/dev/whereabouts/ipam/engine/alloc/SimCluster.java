package dev.whereabouts.ipam.engine.alloc;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.spi.IpamStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Node daemons without threads: per node and pool a FIFO queue, the batch its leader is serving
 * and its {@link WarmPool}. One step runs one round of one node's batch, topping it up first, as
 * {@link PoolLane}'s leader does.
 */
final class SimCluster {

    private static final List<Cidr> RANGES = List.of(GroupCommitSimulationProperties.WIDE,
            GroupCommitSimulationProperties.NARROW);

    private static final class Lane {
        final ArrayDeque<PoolRequest> queue = new ArrayDeque<>();
        final WarmPool pool;
        PoolBatch batch;
        final List<PoolRequest> inBatch = new ArrayList<>();

        Lane(IpamStore store, Cidr range, Random random) {
            pool = new WarmPool(store, GroupCommitSimulationProperties.keyOf(range), random);
        }

        boolean hasWork() {
            return batch != null || !queue.isEmpty();
        }

        void round() {
            if (batch == null) {
                batch = new PoolBatch(pool.key());
                inBatch.clear();
            }
            while (!queue.isEmpty() && batch.open() < PoolLane.MAX_BATCH) {
                PoolRequest r = queue.pollFirst();
                batch.add(r);
                inBatch.add(r);
            }
            if (pool.round(batch) == WarmPool.Next.DONE) {
                batch = null;
            }
        }
    }

    private final IpamStore store;
    private final Random random;
    private final List<List<Lane>> nodes = new ArrayList<>();

    SimCluster(IpamStore store, Random random, int size) {
        this.store = store;
        this.random = random;
        for (int n = 0; n < size; n++) {
            nodes.add(freshNode());
        }
    }

    private List<Lane> freshNode() {
        return RANGES.stream().map(r -> new Lane(store, r, random)).toList();
    }

    int size() {
        return nodes.size();
    }

    void enqueue(int node, Cidr range, PoolRequest request) {
        nodes.get(node).get(RANGES.indexOf(range)).queue.addLast(request);
    }

    /** Runs one round on a node and pool chosen by {@code random} among those with work. */
    void runOneRound(Random random) {
        List<Lane> busy = nodes.stream().flatMap(List::stream).filter(Lane::hasWork).toList();
        if (!busy.isEmpty()) {
            busy.get(random.nextInt(busy.size())).round();
        }
    }

    /** Runs rounds until no node has work left, calling {@code afterEachRound} after each. */
    void drain(Runnable afterEachRound) {
        for (int guard = 0; guard < 100_000; guard++) {
            List<Lane> busy = nodes.stream().flatMap(List::stream).filter(Lane::hasWork).toList();
            if (busy.isEmpty()) {
                return;
            }
            for (Lane lane : busy) {
                lane.round();
                afterEachRound.run();
            }
        }
        throw new AssertionError("the cluster did not drain");
    }

    /** Kills a node: its warm pools and every request it had not answered are gone. */
    List<PoolRequest> crash(int node) {
        List<PoolRequest> dropped = new ArrayList<>();
        for (Lane lane : nodes.get(node)) {
            dropped.addAll(lane.queue);
            if (lane.batch != null) {
                lane.inBatch.stream().filter(r -> !r.answered()).forEach(dropped::add);
            }
        }
        nodes.set(node, freshNode());
        return dropped;
    }
}
