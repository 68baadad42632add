package dev.whereabouts.cni.launcher.daemon;

import dev.whereabouts.cni.launcher.CniHandler;
import dev.whereabouts.cni.launcher.log.Logs;
import dev.whereabouts.ipam.engine.Ipam;
import dev.whereabouts.ipam.engine.LogLevel;
import dev.whereabouts.ipam.engine.StoreProviders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Runs the per-call path a few hundred times when the daemon starts, so that a burst arriving at a
 * fresh daemon meets compiled code instead of the interpreter.
 *
 * <p>Why: the daemon runs C1 only, and C1 compiles a method after about 200 invocations (20 with
 * the daemon's {@code -XX:CompileThresholdScaling=0.1}, which came later: docs/launcher.md). A node
 * that serves 100 ADDs of a burst right after its daemon started did most of that work
 * interpreted: JFR CPU samples of ten fresh daemons in a 1,000-ADD etcd burst were 60 % in
 * interpreted frames. Warming up moves that cost to the start, before the node is busy.
 *
 * <p>The calls go through the same {@link CniHandler} as real ones, but to a private engine
 * (its own store clients, lanes and journal; no metrics) on the {@code file} store in a temporary
 * directory that is removed afterwards: nothing a real call sees is touched. It gives way to real
 * calls: while the daemon serves one, the warm-up waits (real calls warm the code as well), and
 * once it has waited {@link #MAX_WAIT} in all it stops.
 */
public final class JitWarmup {

    /** ADD+DEL cycles of a daemon start, unless {@code --warmup N} says otherwise. */
    public static final int DEFAULT_CYCLES = 300;
    /** A daemon busy for this long in all needs no warm-up: its calls did it. */
    static final Duration MAX_WAIT = Duration.ofSeconds(30);
    private static final int CALLERS = 4;
    private static final long PAUSE_MILLIS = 20;
    /** The longest wait for the compiler between two steps; on an idle node it takes 1-3 s. */
    private static final Duration DRAIN_WAIT = Duration.ofSeconds(10);
    private static final int STORE_PASSES = 2;

    private final BooleanSupplier busy;
    private final Duration maxWait;
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private long waitedNanos;
    private volatile boolean gaveUp;

    private JitWarmup(BooleanSupplier busy, Duration maxWait) {
        this.busy = busy;
        this.maxWait = maxWait;
    }

    /**
     * Starts the warm-up of {@code cycles} ADD+DEL cycles on a background thread, pausing while
     * {@code busy} says real calls are being served; 0 does nothing. A line at verbose level says
     * when it is over (the burst harness waits for it).
     */
    public static void start(int cycles, BooleanSupplier busy) {
        if (cycles > 0) {
            Thread.ofPlatform().name("whereabouts-warmup").daemon().start(() -> new JitWarmup(busy, MAX_WAIT).run(cycles));
        }
    }

    /** What a warm-up did: the cycles it ran and how many of their calls failed. */
    record Outcome(int cycles, int failedCalls) {
    }

    /** Runs the warm-up on this thread (tests). */
    static Outcome runNow(int cycles, BooleanSupplier busy, Duration maxWait) {
        var warmup = new JitWarmup(busy, maxWait);
        warmup.run(cycles);
        return new Outcome(warmup.done.get(), warmup.failed.get());
    }

    private void run(int cycles) {
        long start = System.nanoTime();
        Path dir = null;
        try {
            WarmupDirs.sweep(Path.of(System.getProperty("java.io.tmpdir")));
            dir = WarmupDirs.create();
            // Each step starts on an empty compile queue, and the store warm-ups run twice: code
            // first run while the queue is long is not queued at all (CompilerQueue).
            cycles(dir, 0, cycles / 2);
            CompilerQueue.awaitDrained(DRAIN_WAIT);
            cycles(dir, cycles / 2, cycles);
            CompilerQueue.awaitDrained(DRAIN_WAIT);
            // The cycles reach no store client but the file store's; the others warm their own
            // client against stand-ins of their own (StoreProvider.warmUp).
            StoreProviders stores = StoreProviders.discovered();
            for (int pass = 0; pass < STORE_PASSES && mayGoOn(); pass++) {
                stores.warmUpAll();
                CompilerQueue.awaitDrained(DRAIN_WAIT);
            }
            Logs.process().log(LogLevel.VERBOSE, "JIT warm-up %s: %d ADD+DEL cycles in %d ms%s".formatted(
                    gaveUp ? "stopped, the daemon was busy" : "done", done.get(), (System.nanoTime() - start) / 1_000_000,
                    failed.get() == 0 ? "" : ", " + failed.get() + " calls failed"), null);
        } catch (Exception e) {
            Logs.process().log(LogLevel.VERBOSE, "JIT warm-up stopped: " + e, null);
        } finally {
            if (dir != null) {
                WarmupDirs.delete(dir);
            }
        }
    }

    /** Runs cycles {@code from} to {@code to} from {@link #CALLERS} callers at once (so the pool lanes batch, as in a burst). */
    private void cycles(Path dir, int from, int to) throws Exception {
        try (var handler = new CniHandler(Ipam.withDiscoveredStores());
                var callers = Executors.newVirtualThreadPerTaskExecutor()) {
            byte[] config = config(dir);
            List<Future<?>> all = new ArrayList<>();
            for (int c = 0; c < CALLERS; c++) {
                int caller = c;
                all.add(callers.submit(() -> {
                    for (int i = from + caller; i < to && mayGoOn(); i += CALLERS) {
                        call(handler, "ADD", i, config);
                        call(handler, "DEL", i, config);
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
        }
    }

    /** Waits while real calls are served; false once the wait in all reached the limit. */
    private synchronized boolean mayGoOn() throws InterruptedException {
        while (!gaveUp && busy.getAsBoolean()) {
            long t = System.nanoTime();
            Thread.sleep(PAUSE_MILLIS);
            waitedNanos += System.nanoTime() - t;
            gaveUp = waitedNanos >= maxWait.toNanos();
        }
        return !gaveUp;
    }

    private void call(CniHandler handler, String command, int i, byte[] config) {
        Map<String, String> env = Map.of("CNI_COMMAND", command, "CNI_CONTAINERID", "warmup-" + i,
                "CNI_NETNS", "/proc/self/ns/net", "CNI_IFNAME", "eth0", "CNI_PATH", "/opt/cni/bin",
                "CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAMESPACE=warmup;K8S_POD_NAME=pod-" + i);
        if (handler.handle(env, config).exitCode() != 0) {
            failed.incrementAndGet();
        }
    }

    private static byte[] config(Path dir) {
        return """
                {"cniVersion":"1.0.0","name":"warmup","type":"macvlan","ipam":{"type":"whereabouts",
                "range":"10.255.0.0/16","datastore":"file","file":{"data_dir":"%s"},
                "attachments_dir":"%s","log_level":"error"}}"""
                .formatted(dir.resolve("store"), dir.resolve("attachments")).getBytes(StandardCharsets.UTF_8);
    }
}
