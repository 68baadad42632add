package dev.whereabouts.ops.schedule;

import java.util.BitSet;
import java.util.List;

/** One field of a cron expression as the set of values it allows. */
final class CronField {

    private final BitSet allowed;
    private final boolean star;

    private CronField(BitSet allowed, boolean star) {
        this.allowed = allowed;
        this.star = star;
    }

    boolean allows(int value) {
        return allowed.get(value);
    }

    /** Whether the field was written as {@code *} (matters for the day-of-month/day-of-week rule). */
    boolean star() {
        return star;
    }

    /** The smallest allowed value >= {@code from}, or -1. */
    int nextFrom(int from) {
        return allowed.nextSetBit(from);
    }

    /**
     * Parses a comma list of {@code *}, {@code n}, {@code a-b}, each optionally {@code /step}.
     * {@code names} maps words ({@code JAN}, {@code MON}) to numbers starting at {@code namesBase}.
     */
    static CronField parse(String text, String what, int min, int max, List<String> names, int namesBase) {
        BitSet bits = new BitSet(max + 1);
        // Only a bare "*" (or "?") counts as unrestricted for the day rule; "*/2" restricts, as in
        // the Go cron parser upstream uses.
        boolean star = text.equals("*") || text.equals("?");
        if (text.equals("?")) {
            text = "*";
        }
        for (String part : text.split(",", -1)) {
            if (part.isEmpty()) {
                throw bad(what, text, "empty list element");
            }
            int slash = part.indexOf('/');
            String rangeText = slash < 0 ? part : part.substring(0, slash);
            int step = 1;
            if (slash >= 0) {
                step = number(part.substring(slash + 1), what, text, List.of(), 0);
                if (step < 1) {
                    throw bad(what, text, "step must be at least 1");
                }
            }
            int lo;
            int hi;
            if (rangeText.equals("*")) {
                lo = min;
                hi = max;
            } else {
                int dash = rangeText.indexOf('-');
                if (dash < 0) {
                    lo = number(rangeText, what, text, names, namesBase);
                    // "5/15" means from 5 to the end in steps of 15, as Vixie cron reads it.
                    hi = slash >= 0 ? max : lo;
                } else {
                    lo = number(rangeText.substring(0, dash), what, text, names, namesBase);
                    hi = number(rangeText.substring(dash + 1), what, text, names, namesBase);
                }
            }
            if (lo < min || hi > max || lo > hi) {
                throw bad(what, text, "values must lie in " + min + "-" + max);
            }
            for (int v = lo; v <= hi; v += step) {
                bits.set(v);
            }
        }
        return new CronField(bits, star);
    }

    private static int number(String s, String what, String whole, List<String> names, int namesBase) {
        int idx = names.indexOf(s.toUpperCase(java.util.Locale.ROOT));
        if (idx >= 0) {
            return idx + namesBase;
        }
        if (s.isEmpty() || s.length() > 4 || !s.chars().allMatch(Character::isDigit)) {
            throw bad(what, whole, "'" + s + "' is not a number");
        }
        return Integer.parseInt(s);
    }

    private static IllegalArgumentException bad(String what, String text, String why) {
        return new IllegalArgumentException("cron " + what + " field '" + text + "': " + why);
    }
}
