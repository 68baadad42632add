package dev.whereabouts.ops.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.store.tck.InMemoryStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * For any mix of pod states: an address the pod lists is never removed, a pod that may still be
 * starting keeps everything, unmanaged entries are never touched, and a missing pod loses everything.
 */
class ReconcilerProperties {

    enum Kind { MISSING, LISTS_IT, LISTS_OTHER, PENDING, YOUNG, NO_STATUS, UNMANAGED }

    static final Instant NOW = Instant.parse("2026-03-01T04:30:00Z");

    @Provide
    Arbitrary<List<Kind>> kinds() {
        return Arbitraries.of(Kind.class).list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 200)
    void removesExactlyTheDefinitelyStale(@ForAll("kinds") List<Kind> kinds) {
        InMemoryStore store = InMemoryStore.create();
        PoolKey pool = StoreFill.pool("10.50.0.0/24", "");
        Map<String, PodState> pods = new HashMap<>();
        for (int i = 0; i < kinds.size(); i++) {
            String ip = "10.50.0." + (i + 1);
            String ref = kinds.get(i) == Kind.UNMANAGED ? "" : "ns/p" + i;
            StoreFill.allocate(store, pool, ip, new Owner("c" + i, "net1", ref));
            Optional<Set<IpAddress>> status = switch (kinds.get(i)) {
                case LISTS_IT -> Optional.of(Set.of(IpAddress.parse(ip)));
                case LISTS_OTHER, YOUNG, PENDING -> Optional.of(Set.of(IpAddress.parse("10.99.0.1")));
                default -> Optional.empty();
            };
            Instant created = kinds.get(i) == Kind.YOUNG ? NOW.minusSeconds(30) : NOW.minus(Duration.ofDays(1));
            String phase = kinds.get(i) == Kind.PENDING ? "Pending" : "Running";
            if (kinds.get(i) != Kind.MISSING && kinds.get(i) != Kind.UNMANAGED) {
                pods.put(ref, new PodState(ref, "u" + i, created, phase, false, false, status, Set.of()));
            }
        }
        ReconcileReport report = new Reconciler(store, ref -> Optional.ofNullable(pods.get(ref)),
                ReconcilerOptions.DEFAULTS, Clock.fixed(NOW, ZoneOffset.UTC)).run();

        Map<IpAddress, Owner> left = store.read(pool).allocations();
        for (int i = 0; i < kinds.size(); i++) {
            boolean gone = kinds.get(i) == Kind.MISSING || kinds.get(i) == Kind.LISTS_OTHER;
            assertEquals(!gone, left.containsKey(IpAddress.parse("10.50.0." + (i + 1))), kinds.get(i) + " at " + i);
        }
        long stale = kinds.stream().filter(k -> k == Kind.MISSING || k == Kind.LISTS_OTHER).count();
        assertEquals(stale, report.removed().size());
        assertEquals(kinds.stream().filter(k -> k == Kind.UNMANAGED).count(), report.unmanagedSkipped());
        assertTrue(report.ok());
        // Every remaining allocation still has its reservation; every removed one lost it.
        assertEquals(left.keySet(), Set.copyOf(store.reservations().stream().map(r -> r.ip()).toList()));
    }

}
