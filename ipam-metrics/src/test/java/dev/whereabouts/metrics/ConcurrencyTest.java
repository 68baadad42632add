package dev.whereabouts.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Many threads counting into the same and new series at once, with scrapes in between: nothing lost. */
class ConcurrencyTest {

    @Test
    void concurrentCountsAllArrive() throws Exception {
        var registry = new MetricRegistry();
        Counter c = registry.counter("t_total", "x", "code");
        Histogram h = registry.histogram("t_seconds", "x", Histogram.secondsBuckets(), "command");
        int threads = 8;
        int each = 50_000;
        var start = new CountDownLatch(1);
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int me = t;
            all.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < each; i++) {
                    c.labels(Integer.toString(i % 4)).inc(); // four shared series, made by whoever comes first
                    h.labels("ADD").observe((i % 10) / 1000.0);
                    if (i % 10_000 == 0 && me == 0) {
                        registry.scrape(); // a scrape while counting neither blocks nor breaks anything
                    }
                }
            }));
        }
        start.countDown();
        for (Thread t : all) {
            t.join();
        }
        long total = 0;
        for (int code = 0; code < 4; code++) {
            assertEquals((long) threads * each / 4, c.labels(Integer.toString(code)).value());
            total += c.labels(Integer.toString(code)).value();
        }
        assertEquals((long) threads * each, total);
        assertEquals((long) threads * each, h.labels("ADD").count());
        String text = registry.scrape();
        assertEquals(true, text.contains("t_seconds_count{command=\"ADD\"} " + threads * each + "\n"), text);
        assertEquals(true, text.contains("t_seconds_bucket{command=\"ADD\",le=\"+Inf\"} " + threads * each + "\n"));
    }
}
