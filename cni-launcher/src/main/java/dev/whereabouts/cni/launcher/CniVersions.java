package dev.whereabouts.cni.launcher;

import java.util.List;

/** The spec versions this plugin speaks, oldest first, and the checks that depend on them. */
final class CniVersions {

    static final List<String> SUPPORTED =
            List.of("0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0");
    static final String NEWEST = "1.1.0";

    private CniVersions() {
    }

    /** Exact string membership, as the Go library's reconciler checks it. */
    static boolean supported(String v) {
        return SUPPORTED.contains(v);
    }

    /** Whether supported version {@code v} is at least {@code min}. */
    static boolean atLeast(String v, String min) {
        return SUPPORTED.indexOf(v) >= SUPPORTED.indexOf(min);
    }
}
