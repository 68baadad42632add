package dev.whereabouts.ipam.engine;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.Cidr;
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
import dev.whereabouts.ipam.spi.NodeFacts;
import dev.whereabouts.ipam.spi.NodeRangeSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small, correct in-memory store for engine tests, with injected conflicts (seeded), an outage
 * switch and node slices. One lock guards everything, which is what makes it obviously right.
 */
final class TestStore implements IpamStore, NodeRangeSource {

    private record Pool(long version, TreeMap<IpAddress, Owner> allocations) {}

    private record ResKey(String networkName, IpAddress ip) {}

    private final Map<PoolKey, Pool> pools = new HashMap<>();
    private final Map<ResKey, Reservation> reservations = new HashMap<>();
    private final Map<String, Cidr> slices = new HashMap<>();
    private final Map<String, List<Cidr>> nodeCidrs = new HashMap<>();
    private final Map<String, String> annotations = new HashMap<>();
    private final Map<String, String> machineIds = new HashMap<>();
    private long clock;
    private Random random = new Random(0);
    private double conflictRate;
    private volatile boolean available = true;
    final AtomicLong commits = new AtomicLong();
    /** How long each commit takes, as a remote store's round trip would (0: none). */
    volatile long commitMillis;
    final AtomicLong injectedConflicts = new AtomicLong();
    final AtomicLong reservationTaken = new AtomicLong();
    volatile boolean closed;

    synchronized TestStore injectConflicts(double rate, long seed) {
        conflictRate = rate;
        random = new Random(seed);
        return this;
    }

    private volatile boolean loseNextAnswer;

    /** The next commit lands but its caller hears "unavailable", as when etcd's reply is lost. */
    TestStore loseNextAnswer() {
        loseNextAnswer = true;
        return this;
    }

    TestStore available(boolean on) {
        available = on;
        return this;
    }

    synchronized void assignSlice(String pool, String node, Cidr slice) {
        slices.put(pool + "/" + node, slice);
    }

    /** The node's CIDRs: under {@code annotation}, or {@code ""} for its spec.podCIDRs. */
    synchronized void assignNodeRanges(String node, String annotation, List<Cidr> cidrs) {
        nodeCidrs.put(node + "|" + annotation, List.copyOf(cidrs));
    }

    @Override
    public synchronized PoolSnapshot read(PoolKey key) {
        enter();
        Pool p = pools.get(key);
        return p == null ? PoolSnapshot.absent(key)
                : new PoolSnapshot(key, new PoolVersion(Long.toString(p.version)), p.allocations);
    }

    @Override
    public synchronized CommitOutcome commit(PoolKey key, PoolVersion expected, PoolChange change) {
        enter();
        commits.incrementAndGet();
        if (commitMillis > 0) {
            try {
                Thread.sleep(commitMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (conflictRate > 0 && random.nextDouble() < conflictRate) {
            injectedConflicts.incrementAndGet();
            return new CommitOutcome.Conflict();
        }
        Pool p = pools.get(key);
        String current = p == null ? "" : Long.toString(p.version);
        if (!current.equals(expected.token())) {
            return new CommitOutcome.Conflict();
        }
        for (Reservation r : change.reserve()) {
            Reservation held = reservations.get(new ResKey(r.networkName(), r.ip()));
            if (held != null && !held.owner().sameAttachment(r.owner())) {
                reservationTaken.incrementAndGet();
                return new CommitOutcome.ReservationTaken(held);
            }
        }
        change.reserve().forEach(r -> reservations.put(new ResKey(r.networkName(), r.ip()), r));
        TreeMap<IpAddress, Owner> next = p == null ? new TreeMap<>() : new TreeMap<>(p.allocations);
        for (Allocation a : change.put()) {
            next.put(a.ip(), a.owner());
        }
        change.remove().forEach(next::remove);
        change.unreserve().forEach(this::removeReservation);
        pools.put(key, new Pool(++clock, next));
        if (loseNextAnswer) {
            loseNextAnswer = false;
            throw new StoreUnavailableException("test store lost the answer of a commit that landed", null);
        }
        return new CommitOutcome.Committed(new PoolVersion(Long.toString(clock)));
    }

    @Override
    public synchronized List<PoolKey> pools() {
        enter();
        return List.copyOf(pools.keySet());
    }

    @Override
    public synchronized List<Reservation> reservations() {
        enter();
        return new ArrayList<>(reservations.values());
    }

    @Override
    public synchronized boolean removeReservation(Reservation r) {
        ResKey k = new ResKey(r.networkName(), r.ip());
        Reservation held = reservations.get(k);
        if (held == null || !held.owner().sameAttachment(r.owner())) {
            return false;
        }
        reservations.remove(k);
        return true;
    }

    @Override
    public void checkAvailable() {
        enter();
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public synchronized Optional<Cidr> nodeSlice(String poolName, String nodeName) {
        return Optional.ofNullable(slices.get(poolName + "/" + nodeName));
    }

    /** Sets an annotation's raw text on a node, in any of the formats the engine reads. */
    synchronized void annotate(String node, String annotation, String text) {
        annotations.put(node + "|" + annotation, text);
        nodeCidrs.putIfAbsent(node + "|", List.of());
    }

    @Override
    public synchronized Optional<NodeFacts> node(String nodeName, String annotation) {
        List<Cidr> podCidrs = nodeCidrs.get(nodeName + "|");
        List<Cidr> annotated = annotation.isEmpty() ? null : nodeCidrs.get(nodeName + "|" + annotation);
        if (podCidrs == null && annotated == null) {
            return Optional.empty();
        }
        Optional<String> value = Optional.ofNullable(annotations.get(nodeName + "|" + annotation))
                .or(() -> Optional.ofNullable(annotated).map(l -> String.join(",", l.stream().map(Cidr::toString).toList())));
        return Optional.of(new NodeFacts(nodeName,
                podCidrs == null ? List.of() : podCidrs.stream().map(Cidr::toString).toList(), value));
    }

    @Override
    public synchronized Optional<String> nodeWithMachineId(String machineId) {
        return Optional.ofNullable(machineIds.get(machineId));
    }

    /** Records a node's {@code status.nodeInfo.machineID}. */
    synchronized void machineId(String node, String machineId) {
        machineIds.put(machineId, node);
    }

    /** Allocations of one pool, for assertions. */
    synchronized Map<IpAddress, Owner> allocations(PoolKey key) {
        Pool p = pools.get(key);
        return p == null ? Map.of() : new TreeMap<>(p.allocations);
    }

    private void enter() {
        if (!available) {
            throw new StoreUnavailableException("test store switched off", null);
        }
    }
}
