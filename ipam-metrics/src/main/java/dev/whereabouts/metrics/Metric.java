package dev.whereabouts.metrics;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One metric family: a name, a help text, the names of its labels and the series under it (one per
 * combination of label values). Made by the factories of the subclasses, served once registered in
 * a {@link MetricRegistry}.
 */
public abstract sealed class Metric permits Labelled, GaugeCallback {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private final String name;
    private final String help;
    private final List<String> labelNames;

    Metric(String name, String help, String[] labelNames) {
        if (!NAME.matcher(Objects.requireNonNull(name, "name")).matches()) {
            throw new IllegalArgumentException("not a metric name: '" + name + "'");
        }
        this.name = name;
        this.help = Objects.requireNonNull(help, "help");
        this.labelNames = List.of(labelNames);
        for (String l : this.labelNames) {
            // "__" is reserved for Prometheus itself; "le" and "quantile" name buckets and quantiles
            if (!LABEL.matcher(l).matches() || l.startsWith("__") || l.equals("le") || l.equals("quantile")) {
                throw new IllegalArgumentException("not a label name for " + name + ": '" + l + "'");
            }
        }
        if (this.labelNames.stream().distinct().count() != this.labelNames.size()) {
            throw new IllegalArgumentException("label names repeat in " + name + ": " + this.labelNames);
        }
    }

    /** The metric's name, as scraped. */
    public final String name() {
        return name;
    }

    /** The help text, as scraped. */
    public final String help() {
        return help;
    }

    /** The label names, in the order {@code labels(...)} takes their values. */
    public final List<String> labelNames() {
        return labelNames;
    }

    /** The {@code # TYPE} word. */
    abstract String type();

    /** Writes the samples of every series (not the header). */
    abstract void writeSamples(TextFormat out);

    /** Whether {@code other} is the same kind of metric with the same labels (for get-or-create). */
    final boolean sameShape(Metric other) {
        return other.getClass() == getClass() && other.labelNames.equals(labelNames);
    }
}
