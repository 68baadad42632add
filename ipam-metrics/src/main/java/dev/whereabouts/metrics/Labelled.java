package dev.whereabouts.metrics;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A metric that keeps its own series, one child per combination of label values.
 *
 * @param <C> the child: what counts or holds the value of one series
 */
public abstract sealed class Labelled<C> extends Metric permits Counter, Gauge, Histogram {

    private final Series<C> series;

    Labelled(String name, String help, String[] labelNames, Supplier<C> child) {
        super(name, help, labelNames);
        this.series = new Series<>(name, labelNames.length, child);
    }

    /**
     * The series for these label values, in the order of the label names; made on first use. Keep it
     * in a field when the values are fixed.
     */
    public final C labels(String... values) {
        return series.get(values);
    }

    /** Every series made so far, sorted by label values. */
    final List<Map.Entry<List<String>, C>> series() {
        return series.sorted();
    }
}
