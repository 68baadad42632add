package dev.whereabouts.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A gauge whose series are read when scraped: the owner of the values (a pool table, a queue) lists
 * them into a {@link Samples} and nothing is kept in between, so the values cost nothing until
 * someone asks. The callback runs on the scraping thread and must be quick and thread-safe.
 *
 * <pre>{@code
 * registry.register(GaugeCallback.create("whereabouts_pool_used", "Addresses allocated.",
 *         samples -> lanes.forEach(l -> samples.add(l.used(), l.pool())), "pool"));
 * }</pre>
 */
public final class GaugeCallback extends Metric {

    /** Where a callback lists its series. */
    @FunctionalInterface
    public interface Samples {
        /** One series: its value and label values in the order of the label names. A repeat replaces. */
        void add(double value, String... labelValues);
    }

    private final Consumer<Samples> callback;

    private GaugeCallback(String name, String help, Consumer<Samples> callback, String[] labelNames) {
        super(name, help, labelNames);
        this.callback = Objects.requireNonNull(callback, "callback");
    }

    /** A gauge read from {@code callback} at each scrape, not yet registered. */
    public static GaugeCallback create(String name, String help, Consumer<Samples> callback, String... labelNames) {
        return new GaugeCallback(name, help, callback, labelNames);
    }

    @Override
    String type() {
        return "gauge";
    }

    @Override
    void writeSamples(TextFormat out) {
        // sorted and one per label set: a series twice would make the whole scrape invalid
        Map<List<String>, Double> seen = new TreeMap<>(Series.BY_VALUES);
        int arity = labelNames().size();
        callback.accept((value, values) -> {
            if (values.length != arity) {
                throw new IllegalArgumentException(name() + " takes " + arity + " label values");
            }
            seen.put(new ArrayList<>(List.of(values)), value);
        });
        seen.forEach((values, value) -> out.sample(name(), labelNames(), values, TextFormat.number(value)));
    }
}
