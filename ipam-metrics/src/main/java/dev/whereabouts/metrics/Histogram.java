package dev.whereabouts.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Observations counted into fixed buckets, per combination of label values: the scrape shows, for
 * each upper bound {@code le}, how many observations were at most that (cumulative, ending in
 * {@code +Inf}), their {@code _sum} and their {@code _count}. Observing is a bucket search over a
 * handful of bounds and two {@link LongAdder}-style adds: no lock.
 */
public final class Histogram extends Labelled<Histogram.Child> {

    /** One series of a histogram. */
    public static final class Child {
        private final double[] bounds;
        /** Per bucket, not cumulative (the last one is above every bound); summed up when scraped. */
        private final LongAdder[] counts;
        private final DoubleAdder sum = new DoubleAdder();

        Child(double[] bounds) {
            this.bounds = bounds;
            this.counts = new LongAdder[bounds.length + 1];
            Arrays.setAll(counts, i -> new LongAdder());
        }

        /** Counts one observation. */
        public void observe(double v) {
            int i = 0;
            while (i < bounds.length && v > bounds[i]) {
                i++;
            }
            counts[i].increment();
            sum.add(v);
        }

        /** Counts a duration in nanoseconds as seconds (the Prometheus unit). */
        public void observeNanos(long nanos) {
            observe(nanos / 1e9);
        }

        /** Observations so far. */
        public long count() {
            long n = 0;
            for (LongAdder c : counts) {
                n += c.sum();
            }
            return n;
        }

        /** The sum of the observations so far. */
        public double sum() {
            return sum.sum();
        }
    }

    /** Seconds, from half a millisecond (a warm call) to half a minute (a store timeout). */
    private static final double[] SECONDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
        1, 2.5, 5, 10, 30};

    private final double[] bounds;

    private Histogram(String name, String help, double[] bounds, String[] labelNames) {
        super(name, help, labelNames, () -> new Child(bounds));
        this.bounds = bounds;
    }

    /** A histogram with these upper bounds (finite, increasing; {@code +Inf} is added), not yet registered. */
    public static Histogram create(String name, String help, double[] bounds, String... labelNames) {
        double[] b = bounds.clone();
        for (int i = 0; i < b.length; i++) {
            if (!Double.isFinite(b[i]) || i > 0 && b[i] <= b[i - 1]) {
                throw new IllegalArgumentException("bucket bounds of " + name
                        + " must be finite and increasing (+Inf is implied): " + Arrays.toString(bounds));
            }
        }
        return new Histogram(name, help, b, labelNames);
    }

    /** Bounds for durations in seconds: 0.5 ms to 30 s, roughly ×2.5 apart. */
    public static double[] secondsBuckets() {
        return SECONDS.clone();
    }

    /** Counts one observation in the histogram without labels. */
    public void observe(double v) {
        labels().observe(v);
    }

    @Override
    String type() {
        return "histogram";
    }

    @Override
    void writeSamples(TextFormat out) {
        for (var e : series()) {
            List<String> values = e.getKey();
            Child c = e.getValue();
            long cumulative = 0;
            for (int i = 0; i <= bounds.length; i++) {
                cumulative += c.counts[i].sum();
                String le = i < bounds.length ? TextFormat.number(bounds[i]) : "+Inf";
                out.sample(name() + "_bucket", labelNames(), values, "le", le, Long.toString(cumulative));
            }
            // _count from the buckets just written, so that it always equals the +Inf bucket
            out.sample(name() + "_sum", labelNames(), values, TextFormat.number(c.sum()));
            out.sample(name() + "_count", labelNames(), values, Long.toString(cumulative));
        }
    }
}
