package dev.whereabouts.ipam.engine.alloc;

import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.metrics.MetricRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link PoolLane} per pool and store that this process has written: an engine holds one, so
 * every caller of a daemon shares the group commit and the warm copy of a pool. It grows with the
 * pools a node uses, never with the size of the cluster.
 */
public final class PoolLanes {

    private record LaneKey(IpamStore store, PoolKey pool) {}

    private final Map<LaneKey, PoolLane> lanes = new ConcurrentHashMap<>();
    private final LaneMetrics metrics = new LaneMetrics();

    PoolLane lane(IpamStore store, PoolKey pool) {
        return lanes.computeIfAbsent(new LaneKey(store, pool), k -> new PoolLane(k.store(), k.pool(), metrics));
    }

    /**
     * Registers what these lanes count (store reads, writes and retries, batch sizes) and each pool's
     * size and use in {@code registry}; once per registry.
     */
    public void registerMetrics(MetricRegistry registry) {
        metrics.register(registry, lanes.values());
    }
}
