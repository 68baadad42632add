package dev.whereabouts.store.file;

import java.util.ArrayList;
import java.util.List;

/**
 * The text form shared by every file of the store: a magic line naming the kind of file, one record
 * per line (a keyword and space-separated fields), and a closing {@code end <count>} line.
 *
 * <p>The closing line lets a reader tell a complete file from a truncated one even on a file system
 * that does not honour the write-to-temp-then-rename protocol. Fields are escaped so that a pod
 * reference or container id can never smuggle in a separator: every character outside printable
 * ASCII, and space and {@code %}, become {@code %XX} (code point below 256) or {@code %uXXXX} (any
 * other UTF-16 unit, so even unpaired surrogates survive). The empty string is written {@code -}, and
 * a field that really is {@code -} as {@code %2D}. Files are therefore pure ASCII.
 */
final class RecordText {

    private static final String MAGIC = "whereabouts-file-store";
    private static final int FORMAT = 1;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private RecordText() {}

    /** Escapes one field. */
    static String encode(String value) {
        if (value.isEmpty()) {
            return "-";
        }
        if (value.equals("-")) {
            return "%2D";
        }
        StringBuilder sb = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean plain = c > 0x20 && c < 0x7F && c != '%';
            if (plain) {
                if (sb != null) {
                    sb.append(c);
                }
                continue;
            }
            if (sb == null) {
                sb = new StringBuilder(value.length() + 8).append(value, 0, i);
            }
            sb.append('%');
            if (c < 0x100) {
                sb.append(HEX[c >> 4]).append(HEX[c & 0xF]);
            } else {
                sb.append('u').append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xF])
                        .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
            }
        }
        return sb == null ? value : sb.toString();
    }

    /**
     * Reverses {@link #encode}.
     *
     * @throws IllegalArgumentException on a malformed escape
     */
    static String decode(String field) {
        if (field.equals("-")) {
            return "";
        }
        if (field.indexOf('%') < 0) {
            return field;
        }
        StringBuilder sb = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c != '%') {
                sb.append(c);
                continue;
            }
            boolean wide = i + 1 < field.length() && field.charAt(i + 1) == 'u';
            int start = wide ? i + 2 : i + 1;
            int end = start + (wide ? 4 : 2);
            if (end > field.length()) {
                throw new IllegalArgumentException("truncated escape in field '" + field + "'");
            }
            sb.append((char) hex(field, start, end));
            i = end - 1;
        }
        return sb.toString();
    }

    private static int hex(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) {
                throw new IllegalArgumentException("bad escape in field '" + s + "'");
            }
            v = (v << 4) | d;
        }
        return v;
    }

    /** Renders records; each record is a keyword followed by its (unescaped) fields. */
    static String write(String kind, List<List<String>> records) {
        StringBuilder sb = new StringBuilder(64 + records.size() * 48);
        sb.append(MAGIC).append(' ').append(kind).append(' ').append(FORMAT).append('\n');
        for (List<String> record : records) {
            sb.append(record.getFirst());
            for (int i = 1; i < record.size(); i++) {
                sb.append(' ').append(encode(record.get(i)));
            }
            sb.append('\n');
        }
        sb.append("end ").append(records.size()).append('\n');
        return sb.toString();
    }

    /**
     * Whether {@code text} is what an unsynced write leaves after a power loss: empty, zero-filled
     * blocks, or a prefix without the closing {@code end} line. {@link #write} never produces NUL.
     */
    static boolean cutShort(String text) {
        if (text.isEmpty() || text.indexOf('\0') >= 0 || !text.endsWith("\n")) {
            return true;
        }
        int lastStart = text.lastIndexOf('\n', text.length() - 2) + 1;
        return !text.startsWith("end ", lastStart);
    }

    /**
     * Parses records written by {@link #write}; fields come back unescaped.
     *
     * @throws IllegalArgumentException when the text is not a complete file of that kind
     */
    static List<List<String>> read(String kind, String text) {
        if (!text.endsWith("\n")) {
            throw new IllegalArgumentException("file is truncated (no final newline)");
        }
        String[] lines = text.split("\n", -1);
        // split leaves one empty string after the final newline
        int count = lines.length - 1;
        if (count < 2 || !lines[0].equals(MAGIC + " " + kind + " " + FORMAT)) {
            throw new IllegalArgumentException("not a '" + kind + "' file of format " + FORMAT);
        }
        String last = lines[count - 1];
        if (!last.equals("end " + (count - 2))) {
            throw new IllegalArgumentException("file is truncated (expected 'end " + (count - 2) + "', found '"
                    + last + "')");
        }
        List<List<String>> records = new ArrayList<>(count - 2);
        for (int i = 1; i < count - 1; i++) {
            String[] parts = lines[i].split(" ", -1);
            List<String> record = new ArrayList<>(parts.length);
            record.add(parts[0]);
            for (int k = 1; k < parts.length; k++) {
                if (parts[k].isEmpty()) {
                    throw new IllegalArgumentException("empty field on line " + (i + 1));
                }
                record.add(decode(parts[k]));
            }
            records.add(record);
        }
        return records;
    }
}
