package dev.whereabouts.ops.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A result as an aligned table for people or as JSON for scripts. Rows are ordered maps from column
 * name to text, so both renderings come from the same data.
 */
final class Output {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private Output() {}

    static Map<String, Object> row(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    static void json(PrintStream out, Object value) {
        out.println(JSON.writeValueAsString(value));
    }

    /** Columns are the keys of the first row, upper-cased; an empty table prints {@code empty}. */
    static void table(PrintStream out, List<Map<String, Object>> rows, String empty) {
        if (rows.isEmpty()) {
            out.println(empty);
            return;
        }
        List<String> cols = new ArrayList<>(rows.getFirst().keySet());
        int[] width = new int[cols.size()];
        for (int c = 0; c < cols.size(); c++) {
            width[c] = cols.get(c).length();
            for (Map<String, Object> r : rows) {
                width[c] = Math.max(width[c], text(r.get(cols.get(c))).length());
            }
        }
        StringBuilder head = new StringBuilder();
        for (int c = 0; c < cols.size(); c++) {
            pad(head, cols.get(c).toUpperCase(java.util.Locale.ROOT), width[c], c == cols.size() - 1);
        }
        out.println(head.toString().stripTrailing());
        for (Map<String, Object> r : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < cols.size(); c++) {
                pad(line, text(r.get(cols.get(c))), width[c], c == cols.size() - 1);
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static void pad(StringBuilder sb, String s, int width, boolean last) {
        sb.append(s);
        if (!last) {
            sb.append(" ".repeat(width - s.length() + 2));
        }
    }

    private static String text(Object o) {
        return o == null || "".equals(o) ? "-" : o.toString();
    }
}
