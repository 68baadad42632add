package dev.whereabouts.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The exposition, byte for byte: headers, escaping, number forms, series order, histograms. */
class TextFormatTest {

    @Test
    void countersAndGaugesWithEscapedLabelsAndHelp() {
        var registry = new MetricRegistry();
        Counter calls = registry.counter("t_calls_total", "Calls \"by\" command\\code\nsecond line.", "command", "code");
        calls.labels("DEL", "0").inc();
        calls.labels("ADD", "0").add(2);
        calls.labels("ADD", "7").inc();
        registry.gauge("t_weird", "Label values escaped.", "v").labels("a\\b\"c\nd").set(1.5);
        registry.gauge("t_plain", "No labels.").set(-3);
        assertEquals("""
                # HELP t_calls_total Calls "by" command\\\\code\\nsecond line.
                # TYPE t_calls_total counter
                t_calls_total{command="ADD",code="0"} 2
                t_calls_total{command="ADD",code="7"} 1
                t_calls_total{command="DEL",code="0"} 1
                # HELP t_plain No labels.
                # TYPE t_plain gauge
                t_plain -3
                # HELP t_weird Label values escaped.
                # TYPE t_weird gauge
                t_weird{v="a\\\\b\\"c\\nd"} 1.5
                """, registry.scrape());
    }

    @Test
    void histogramBucketsAreCumulativeAndEndInInf() {
        var registry = new MetricRegistry();
        Histogram h = registry.histogram("t_seconds", "Latency.", new double[] {0.01, 0.1, 1}, "command");
        Histogram.Child add = h.labels("ADD");
        add.observe(0.005);
        add.observe(0.01); // on a bound: counted in that bucket (le = less or equal)
        add.observe(0.5);
        add.observe(7);
        assertEquals("""
                # HELP t_seconds Latency.
                # TYPE t_seconds histogram
                t_seconds_bucket{command="ADD",le="0.01"} 2
                t_seconds_bucket{command="ADD",le="0.1"} 2
                t_seconds_bucket{command="ADD",le="1"} 3
                t_seconds_bucket{command="ADD",le="+Inf"} 4
                t_seconds_sum{command="ADD"} 7.515
                t_seconds_count{command="ADD"} 4
                """, registry.scrape());
        assertEquals(4, add.count());
    }

    @Test
    void unlabelledHistogramAndCallbackGauge() {
        var registry = new MetricRegistry();
        registry.histogram("t_batch", "Batch size.", new double[] {1, 2}).observe(2);
        registry.gaugeCallback("t_pool_used", "Used.", s -> {
            s.add(3, "b");
            s.add(1, "a");
            s.add(4, "b"); // a repeat replaces: one series each
        }, "pool");
        assertEquals("""
                # HELP t_batch Batch size.
                # TYPE t_batch histogram
                t_batch_bucket{le="1"} 0
                t_batch_bucket{le="2"} 1
                t_batch_bucket{le="+Inf"} 1
                t_batch_sum 2
                t_batch_count 1
                # HELP t_pool_used Used.
                # TYPE t_pool_used gauge
                t_pool_used{pool="a"} 1
                t_pool_used{pool="b"} 4
                """, registry.scrape());
    }

    @Test
    void numbersInTheFormatsPrometheusReads() {
        assertEquals("NaN", TextFormat.number(Double.NaN));
        assertEquals("+Inf", TextFormat.number(Double.POSITIVE_INFINITY));
        assertEquals("-Inf", TextFormat.number(Double.NEGATIVE_INFINITY));
        assertEquals("0.0005", TextFormat.number(0.0005));
        assertEquals("1.8446744073709552E19", TextFormat.number(Math.pow(2, 64)));
        assertEquals("12", TextFormat.number(12.0));
    }

    @Test
    void aFailingCallbackLeavesOnlyItsMetricOut() {
        var registry = new MetricRegistry();
        registry.gaugeCallback("t_bad", "Fails.", s -> {
            throw new IllegalStateException("boom");
        });
        registry.counter("t_good_total", "Fine.").inc();
        assertEquals("# HELP t_good_total Fine.\n# TYPE t_good_total counter\nt_good_total 1\n", registry.scrape());
    }

    @Test
    void namesLabelsAndShapesAreChecked() {
        var registry = new MetricRegistry();
        assertThrows(IllegalArgumentException.class, () -> Counter.create("1bad", "x"));
        assertThrows(IllegalArgumentException.class, () -> Counter.create("ok", "x", "le"));
        assertThrows(IllegalArgumentException.class, () -> Counter.create("ok", "x", "__reserved"));
        assertThrows(IllegalArgumentException.class, () -> Counter.create("ok", "x", "a", "a"));
        assertThrows(IllegalArgumentException.class, () -> Histogram.create("h", "x", new double[] {1, 1}));
        assertThrows(IllegalArgumentException.class,
                () -> Histogram.create("h", "x", new double[] {1, Double.POSITIVE_INFINITY}));
        Counter c = registry.counter("t_total", "x", "a");
        assertEquals(c, registry.counter("t_total", "x", "a")); // get-or-create hands back the same
        assertThrows(IllegalArgumentException.class, () -> registry.counter("t_total", "x", "b"));
        assertThrows(IllegalArgumentException.class, () -> registry.gauge("t_total", "x", "a"));
        assertThrows(IllegalArgumentException.class, () -> registry.register(Counter.create("t_total", "x", "a")));
        assertThrows(IllegalArgumentException.class, () -> c.labels("x", "y"));
        assertThrows(IllegalArgumentException.class, () -> c.labels("x").add(-1));
    }
}
