package dev.whereabouts.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;

/**
 * The metrics one endpoint serves, by name. Registering twice under one name is refused, except
 * through the get-or-create factories ({@link #counter} and the like), which hand back the metric
 * already there when it has the same kind and labels, so that two parts of a process may declare the
 * same metric without coordinating.
 */
public final class MetricRegistry {

    private final Map<String, Metric> metrics = new ConcurrentSkipListMap<>();

    /** Adds {@code metric}; its name must be new here. */
    public <M extends Metric> M register(M metric) {
        Metric before = metrics.putIfAbsent(metric.name(), metric);
        if (before != null) {
            throw new IllegalArgumentException("metric " + metric.name() + " is already registered");
        }
        return metric;
    }

    /** The counter of that name and labels: the one registered, else a new one, registered. */
    public Counter counter(String name, String help, String... labelNames) {
        return getOrRegister(Counter.create(name, help, labelNames));
    }

    /** The gauge of that name and labels: the one registered, else a new one, registered. */
    public Gauge gauge(String name, String help, String... labelNames) {
        return getOrRegister(Gauge.create(name, help, labelNames));
    }

    /** The histogram of that name and labels: the one registered, else a new one, registered. */
    public Histogram histogram(String name, String help, double[] bounds, String... labelNames) {
        return getOrRegister(Histogram.create(name, help, bounds, labelNames));
    }

    /** Registers a {@link GaugeCallback}; its name must be new here. */
    public GaugeCallback gaugeCallback(String name, String help, Consumer<GaugeCallback.Samples> callback,
            String... labelNames) {
        return register(GaugeCallback.create(name, help, callback, labelNames));
    }

    @SuppressWarnings("unchecked")
    private <M extends Metric> M getOrRegister(M metric) {
        Metric m = metrics.computeIfAbsent(metric.name(), n -> metric);
        if (!m.sameShape(metric)) {
            throw new IllegalArgumentException("metric " + metric.name() + " is already registered as a "
                    + m.type() + " with labels " + m.labelNames());
        }
        return (M) m;
    }

    /**
     * Every metric in the text exposition format 0.0.4, sorted by name. A metric whose callback fails
     * is left out of this scrape rather than failing it.
     */
    public String scrape() {
        StringBuilder all = new StringBuilder(4096);
        for (Metric m : metrics.values()) {
            StringBuilder one = new StringBuilder(256);
            TextFormat out = new TextFormat(one);
            try {
                out.header(m);
                m.writeSamples(out);
            } catch (RuntimeException e) {
                continue; // half a metric would make the whole scrape unreadable
            }
            all.append(one);
        }
        return all.toString();
    }
}
