package dev.whereabouts.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The series of one labelled metric: one child per list of label values, made on first use and kept
 * for the life of the process (label values must come from small, fixed sets).
 */
final class Series<C> {

    /** Orders series by their label values, so that a scrape reads the same every time. */
    static final Comparator<List<String>> BY_VALUES = (a, b) -> {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    };

    private final String metric;
    private final int arity;
    private final Supplier<C> factory;
    private final Map<List<String>, C> children = new ConcurrentHashMap<>();

    Series(String metric, int arity, Supplier<C> factory) {
        this.metric = metric;
        this.arity = arity;
        this.factory = factory;
    }

    /** The child for these label values; lock-free once it exists. */
    C get(String... values) {
        if (values.length != arity) {
            throw new IllegalArgumentException(metric + " takes " + arity + " label values, got "
                    + Arrays.toString(values));
        }
        List<String> key = List.of(values); // refuses null values
        C child = children.get(key);
        return child != null ? child : children.computeIfAbsent(key, k -> factory.get());
    }

    /** Every child with its label values, sorted. */
    List<Map.Entry<List<String>, C>> sorted() {
        List<Map.Entry<List<String>, C>> all = new ArrayList<>(children.entrySet());
        all.sort(Map.Entry.comparingByKey(BY_VALUES));
        return all;
    }
}
