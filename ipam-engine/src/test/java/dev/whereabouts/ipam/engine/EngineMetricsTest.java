package dev.whereabouts.ipam.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.metrics.MetricRegistry;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What the allocator counts, as a scrape shows it, against the test store with injected conflicts. */
class EngineMetricsTest extends EngineFixture {

    private final MetricRegistry registry = new MetricRegistry();

    @Test
    void storeOutcomesRetriesBatchesAndPoolGauges() {
        ipam.registerMetrics(registry);
        IpamConfig c = Conf.load(ipam, conf().range("10.1.0.0/28")
                .ipam("exclude", List.of("10.1.0.8/30")).ipam("gateway", "10.1.0.1"));
        TestStore store = store();
        ipam.add(c, owner("a"));
        ipam.add(c, owner("b"));
        String warm = registry.scrape();
        assertEquals(1, value(warm, "whereabouts_pool_reads_total{outcome=\"ok\"}"), "the second ADD decides on the warm copy");
        assertEquals(2, value(warm, "whereabouts_pool_writes_total{outcome=\"committed\"}"));
        store.injectConflicts(0.5, 7);
        for (int i = 0; i < 6; i++) {
            ipam.add(c, owner("c" + i));
        }
        store.injectConflicts(0, 0);
        ipam.del(c, owner("a").attachment());
        String text = registry.scrape();

        long conflicts = store.injectedConflicts.get();
        assertTrue(conflicts > 0, "the seed injects conflicts");
        assertEquals(conflicts, value(text, "whereabouts_pool_writes_total{outcome=\"conflict\"}"));
        assertEquals(conflicts, value(text, "whereabouts_pool_retries_total{reason=\"conflict\"}"));
        assertEquals(store.commits.get() - conflicts, value(text, "whereabouts_pool_writes_total{outcome=\"committed\"}"));
        assertEquals(9, store.commits.get() - conflicts, "eight ADDs and one DEL were written");
        // a lost race reads again, and the pool stays contended (fresh reads) for a while
        assertTrue(value(text, "whereabouts_pool_reads_total{outcome=\"ok\"}") >= 1 + conflicts, text);
        assertEquals(0, value(text, "whereabouts_pool_writes_total{outcome=\"error\"}"));
        assertEquals(9, value(text, "whereabouts_pool_batch_requests_count"));
        // 10.1.0.1-14, less 10.1.0.8-11 and the gateway: 9 addresses; 8 added, 1 deleted
        assertEquals(9, value(text, "whereabouts_pool_size{pool=\"10.1.0.0-28\"}"));
        assertEquals(7, value(text, "whereabouts_pool_used{pool=\"10.1.0.0-28\"}"));
    }

    @Test
    void nothingRegisteredNothingServed() {
        assertEquals("", registry.scrape());
    }

    private static Owner owner(String c) {
        return new Owner(c, "net1", "ns/" + c);
    }

    private static long value(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
        assertTrue(m.find(), series + " in\n" + scrape);
        return Math.round(Double.parseDouble(m.group(1)));
    }
}
