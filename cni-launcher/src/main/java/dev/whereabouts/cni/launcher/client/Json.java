package dev.whereabouts.cni.launcher.client;

/** The little JSON writing that the client and the error path need, without a JSON library. */
public final class Json {

    private Json() {
    }

    /** {@code s} as a JSON string literal. */
    public static String quote(String s) {
        var sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** The CNI error object, with a trailing newline as the Go library prints it. */
    public static String error(String cniVersion, int code, String msg, String details) {
        return "{\"cniVersion\":" + quote(cniVersion) + ",\"code\":" + code + ",\"msg\":" + quote(msg)
                + ",\"details\":" + quote(details == null ? "" : details) + "}\n";
    }
}
