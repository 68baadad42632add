package dev.whereabouts.metrics;

import java.math.BigDecimal;
import java.util.List;

/**
 * Prometheus text exposition format 0.0.4: {@code # HELP} and {@code # TYPE} lines, then one line a
 * sample, {@code name{label="value",...} number}, every line ending in {@code \n}.
 */
final class TextFormat {

    /** The {@code Content-Type} of a scrape. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out;

    TextFormat(StringBuilder out) {
        this.out = out;
    }

    void header(Metric m) {
        out.append("# HELP ").append(m.name()).append(' ').append(escapeHelp(m.help())).append('\n');
        out.append("# TYPE ").append(m.name()).append(' ').append(m.type()).append('\n');
    }

    /** A sample of a series whose labels are {@code names}/{@code values}. */
    void sample(String name, List<String> names, List<String> values, String value) {
        sample(name, names, values, null, null, value);
    }

    /** The same with one more label after the others ({@code le} of a histogram bucket). */
    void sample(String name, List<String> names, List<String> values, String extraName, String extraValue,
            String value) {
        out.append(name);
        if (!names.isEmpty() || extraName != null) {
            out.append('{');
            for (int i = 0; i < names.size(); i++) {
                label(i > 0, names.get(i), values.get(i));
            }
            if (extraName != null) {
                label(!names.isEmpty(), extraName, extraValue);
            }
            out.append('}');
        }
        out.append(' ').append(value).append('\n');
    }

    private void label(boolean comma, String name, String value) {
        if (comma) {
            out.append(',');
        }
        out.append(name).append("=\"").append(escapeLabel(value)).append('"');
    }

    /** A number as the format writes it: whole numbers without a fraction, {@code +Inf}, {@code NaN}. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        double abs = Math.abs(v);
        if (abs >= 1e-6 && abs < 1e15) {
            // "0.0005", not Java's "5.0E-4": both parse, but a bucket bound is also a label that people type
            return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
        }
        return Double.toString(v);
    }

    /** Help text: backslash and line feed escaped (quotes stay). */
    static String escapeHelp(String s) {
        return escape(s, false);
    }

    /** Label values: backslash, double quote and line feed escaped. */
    static String escapeLabel(String s) {
        return escape(s, true);
    }

    private static String escape(String s, boolean quotes) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String r = switch (c) {
                case '\\' -> "\\\\";
                case '\n' -> "\\n";
                case '"' -> quotes ? "\\\"" : null;
                default -> null;
            };
            if (r != null && b == null) {
                b = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            if (b != null) {
                if (r != null) {
                    b.append(r);
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? s : b.toString();
    }
}
