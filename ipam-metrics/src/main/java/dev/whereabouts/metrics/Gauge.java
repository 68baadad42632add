package dev.whereabouts.metrics;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A value that goes up and down, set by the code that knows it. For a value that is cheaper to read
 * when scraped than to keep current, use a {@link GaugeCallback}.
 */
public final class Gauge extends Labelled<Gauge.Child> {

    /** One series of a gauge. */
    public static final class Child {
        /** The double's bits: an atomic double without a lock. */
        private final AtomicLong bits = new AtomicLong(Double.doubleToRawLongBits(0));

        Child() {
        }

        /** Sets the value. */
        public void set(double v) {
            bits.set(Double.doubleToRawLongBits(v));
        }

        /** Adds {@code d} (negative to subtract). */
        public void add(double d) {
            bits.updateAndGet(b -> Double.doubleToRawLongBits(Double.longBitsToDouble(b) + d));
        }

        /** Adds one. */
        public void inc() {
            add(1);
        }

        /** Subtracts one. */
        public void dec() {
            add(-1);
        }

        /** The current value. */
        public double value() {
            return Double.longBitsToDouble(bits.get());
        }
    }

    private Gauge(String name, String help, String[] labelNames) {
        super(name, help, labelNames, Child::new);
    }

    /** A gauge, not yet registered. */
    public static Gauge create(String name, String help, String... labelNames) {
        return new Gauge(name, help, labelNames);
    }

    /** Sets the gauge without labels. */
    public void set(double v) {
        labels().set(v);
    }

    @Override
    String type() {
        return "gauge";
    }

    @Override
    void writeSamples(TextFormat out) {
        for (var e : series()) {
            out.sample(name(), labelNames(), e.getKey(), TextFormat.number(e.getValue().value()));
        }
    }
}
