package dev.whereabouts.ipam.api;

/** Parsing and printing of address text, kept apart so that {@link IpAddress} stays a value. */
final class AddressText {

    private AddressText() {}

    static IpAddress parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty IP address");
        }
        if (text.indexOf(':') >= 0) {
            return parseV6(text);
        }
        return IpAddress.ofV4(parseV4(text, text));
    }

    private static long parseV4(String text, String whole) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw bad(whole);
        }
        long value = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
                throw bad(whole);
            }
            int octet = 0;
            for (int i = 0; i < p.length(); i++) {
                char c = p.charAt(i);
                if (c < '0' || c > '9') {
                    throw bad(whole);
                }
                octet = octet * 10 + (c - '0');
            }
            if (octet > 255) {
                throw bad(whole);
            }
            value = (value << 8) | octet;
        }
        return value;
    }

    private static IpAddress parseV6(String text) {
        int[] groups = new int[8];
        int doubleColon = text.indexOf("::");
        if (doubleColon >= 0 && text.indexOf("::", doubleColon + 1) >= 0) {
            throw bad(text);
        }
        String head = doubleColon >= 0 ? text.substring(0, doubleColon) : text;
        String tail = doubleColon >= 0 ? text.substring(doubleColon + 2) : "";
        int[] h = groupsOf(head, text, doubleColon < 0 || tail.isEmpty());
        int[] t = doubleColon >= 0 ? groupsOf(tail, text, true) : new int[0];
        if (doubleColon < 0 && h.length != 8) {
            throw bad(text);
        }
        if (doubleColon >= 0 && h.length + t.length > 7) {
            throw bad(text);
        }
        System.arraycopy(h, 0, groups, 0, h.length);
        System.arraycopy(t, 0, groups, 8 - t.length, t.length);
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 4; i++) {
            hi = (hi << 16) | groups[i];
            lo = (lo << 16) | groups[i + 4];
        }
        return IpAddress.ofV6(hi, lo);
    }

    /** Hex groups of one side of "::"; an IPv4 tail counts as two groups where it is allowed. */
    private static int[] groupsOf(String side, String whole, boolean mayEndWithV4) {
        if (side.isEmpty()) {
            return new int[0];
        }
        String[] parts = side.split(":", -1);
        boolean v4Tail = mayEndWithV4 && parts[parts.length - 1].indexOf('.') >= 0;
        int[] out = new int[parts.length + (v4Tail ? 1 : 0)];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (v4Tail && i == parts.length - 1) {
                long v4 = parseV4(p, whole);
                out[i] = (int) (v4 >>> 16);
                out[i + 1] = (int) (v4 & 0xFFFF);
                break;
            }
            if (p.isEmpty() || p.length() > 4) {
                throw bad(whole);
            }
            int g = 0;
            for (int k = 0; k < p.length(); k++) {
                int d = hexDigit(p.charAt(k));
                if (d < 0) {
                    throw bad(whole);
                }
                g = (g << 4) | d;
            }
            out[i] = g;
        }
        return out;
    }

    /** ASCII only: {@link Character#digit} would also take full-width and other scripts' digits. */
    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        char lower = (char) (c | 0x20);
        return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
    }

    static String format(IpAddress ip) {
        if (!ip.v6()) {
            long v = ip.low();
            return ((v >>> 24) & 0xFF) + "." + ((v >>> 16) & 0xFF) + "." + ((v >>> 8) & 0xFF) + "." + (v & 0xFF);
        }
        int[] g = new int[8];
        for (int i = 0; i < 4; i++) {
            g[i] = (int) ((ip.high() >>> (48 - 16 * i)) & 0xFFFF);
            g[i + 4] = (int) ((ip.low() >>> (48 - 16 * i)) & 0xFFFF);
        }
        // RFC 5952: compress the longest run of two or more zero groups, the first one on a tie.
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException("invalid IP address: " + text);
    }
}
