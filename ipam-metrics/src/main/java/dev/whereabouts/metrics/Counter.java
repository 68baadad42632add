package dev.whereabouts.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * A count that only goes up, per combination of label values. Counting is a {@link LongAdder}
 * increment: no lock, and no contention between threads that count the same series at once.
 *
 * <pre>{@code
 * Counter calls = registry.counter("whereabouts_cni_calls_total", "CNI calls.", "command", "code");
 * calls.labels("ADD", "0").inc();
 * }</pre>
 */
public final class Counter extends Labelled<Counter.Child> {

    /** One series of a counter. Keep it in a field when the label values are fixed. */
    public static final class Child {
        private final LongAdder count = new LongAdder();

        Child() {
        }

        /** Adds one. */
        public void inc() {
            count.increment();
        }

        /** Adds {@code n}, which must not be negative: a counter never goes down. */
        public void add(long n) {
            if (n < 0) {
                throw new IllegalArgumentException("a counter cannot go down: " + n);
            }
            count.add(n);
        }

        /** The count so far. */
        public long value() {
            return count.sum();
        }
    }

    private Counter(String name, String help, String[] labelNames) {
        super(name, help, labelNames, Child::new);
    }

    /** A counter, not yet registered. By convention the name ends in {@code _total}. */
    public static Counter create(String name, String help, String... labelNames) {
        return new Counter(name, help, labelNames);
    }

    /** Adds one to the counter without labels. */
    public void inc() {
        labels().inc();
    }

    /** Adds {@code n} to the counter without labels. */
    public void add(long n) {
        labels().add(n);
    }

    @Override
    String type() {
        return "counter";
    }

    @Override
    void writeSamples(TextFormat out) {
        for (var e : series()) {
            out.sample(name(), labelNames(), e.getKey(), Long.toString(e.getValue().value()));
        }
    }
}
