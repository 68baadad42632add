package dev.whereabouts.metrics;

/**
 * The process's registry, for code that has no registry handed to it (a controller declaring its
 * counters in a static field). The node daemon and the controllers serve this one.
 */
public final class Metrics {

    private static final MetricRegistry PROCESS = new MetricRegistry();

    private Metrics() {
    }

    /** The process-wide registry. */
    public static MetricRegistry registry() {
        return PROCESS;
    }

    /** {@link MetricRegistry#counter} on the process registry. */
    public static Counter counter(String name, String help, String... labelNames) {
        return PROCESS.counter(name, help, labelNames);
    }

    /** {@link MetricRegistry#gauge} on the process registry. */
    public static Gauge gauge(String name, String help, String... labelNames) {
        return PROCESS.gauge(name, help, labelNames);
    }

    /** {@link MetricRegistry#histogram} on the process registry. */
    public static Histogram histogram(String name, String help, double[] bounds, String... labelNames) {
        return PROCESS.histogram(name, help, bounds, labelNames);
    }
}
