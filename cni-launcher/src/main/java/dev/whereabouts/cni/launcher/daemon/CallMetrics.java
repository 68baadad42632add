package dev.whereabouts.cni.launcher.daemon;

import dev.whereabouts.cni.launcher.CniHandler;
import dev.whereabouts.cni.launcher.client.Frames;
import dev.whereabouts.metrics.Counter;
import dev.whereabouts.metrics.Histogram;
import dev.whereabouts.metrics.MetricRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts and times every call the daemon serves, around {@link CniHandler#handle}: by command and
 * by the CNI code of the reply (0 for success, else the {@code code} of the error object on stdout).
 * Calls a client serves in its own JVM (no daemon) are not seen here.
 */
final class CallMetrics {

    /** Commands kept as label values; anything else counts as {@code other}, so no caller can grow the series. */
    private static final Set<String> COMMANDS = Set.of("ADD", "DEL", "CHECK", "GC", "STATUS", "VERSION");
    private static final byte[] CODE = "\"code\":".getBytes(StandardCharsets.US_ASCII);

    private final CniHandler handler;
    private final Counter calls;
    private final Histogram seconds;
    private final AtomicInteger inFlight = new AtomicInteger();

    CallMetrics(CniHandler handler, MetricRegistry registry) {
        this.handler = handler;
        this.calls = registry.counter("whereabouts_cni_calls_total",
                "CNI calls the node daemon served, by command and CNI result code (0 = success).", "command", "code");
        this.seconds = registry.histogram("whereabouts_cni_call_duration_seconds",
                "Time the node daemon took to serve a CNI call, from request read to reply ready, by command.",
                Histogram.secondsBuckets(), "command");
    }

    /** Serves one call through the handler and counts it. */
    Frames.Reply handle(Map<String, String> env, byte[] stdin) {
        String command = command(env.get("CNI_COMMAND"));
        long start = System.nanoTime();
        Frames.Reply reply;
        inFlight.incrementAndGet();
        try {
            reply = handler.handle(env, stdin);
        } catch (RuntimeException | Error e) {
            calls.labels(command, "dropped").inc(); // the caller sees a dropped call
            throw e;
        } finally {
            inFlight.decrementAndGet();
        }
        seconds.labels(command).observeNanos(System.nanoTime() - start);
        calls.labels(command, code(reply)).inc();
        return reply;
    }

    /** Whether a call is being served right now. */
    boolean busy() {
        return inFlight.get() > 0;
    }

    static String command(String c) {
        if (c == null || c.isEmpty()) {
            return "none";
        }
        return COMMANDS.contains(c) ? c : "other";
    }

    /**
     * The reply's CNI code: 0 for exit 0, else the first {@code "code":N} of the error object. A key
     * cannot hide inside a JSON string, where its quotes would be escaped.
     */
    static String code(Frames.Reply reply) {
        if (reply.exitCode() == 0) {
            return "0";
        }
        byte[] out = reply.stdout();
        int at = indexOf(out, CODE);
        if (at < 0) {
            return "unknown";
        }
        int i = at + CODE.length;
        while (i < out.length && out[i] == ' ') {
            i++;
        }
        int start = i;
        while (i < out.length && i - start < 9 && out[i] >= '0' && out[i] <= '9') {
            i++;
        }
        return i > start ? new String(out, start, i - start, StandardCharsets.US_ASCII) : "unknown";
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
