package dev.whereabouts.cni.launcher;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Network namespaces and links that a test creates and always removes. */
final class Netns implements AutoCloseable {

    private final List<String> namespaces = new ArrayList<>();

    static String suffix() {
        return Long.toHexString(Double.doubleToLongBits(Math.random())).substring(0, 6);
    }

    /** Creates a namespace named {@code wa-test-<suffix>} and returns its name. */
    String create(String role) throws IOException, InterruptedException {
        String name = "wa-test-" + role + "-" + suffix();
        sh("ip", "netns", "add", name);
        namespaces.add(name);
        sh("ip", "-n", name, "link", "set", "lo", "up");
        return name;
    }

    /** Runs a command; fails the test on a non-zero exit. */
    static String sh(String... cmd) throws IOException, InterruptedException {
        var run = Plugin.exec(Plugin.builder(List.of(cmd), Map.of()), "");
        if (run.exit() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " -> " + run);
        }
        return run.stdout();
    }

    @Override
    public void close() throws Exception {
        for (String ns : namespaces.reversed()) {
            Plugin.exec(Plugin.builder(List.of("ip", "netns", "del", ns), Map.of()), "");
        }
    }
}
