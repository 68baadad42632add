package dev.whereabouts.cni.launcher.daemon;

import dev.whereabouts.cni.launcher.CniHandler;
import dev.whereabouts.cni.launcher.log.Logs;
import dev.whereabouts.ipam.engine.Ipam;
import dev.whereabouts.ipam.engine.LogLevel;
import dev.whereabouts.ipam.engine.StoreProviders;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import tools.jackson.databind.ObjectMapper;

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
 * directory that is removed afterwards: nothing a real call sees is touched. Then every store
 * provider warms its client ({@code StoreProvider.warmUp}), and {@link #STAND_IN_CYCLES} more
 * cycles run on each stand-in server a provider lends ({@code StoreProvider.lendStandIn}): the
 * way from a call's configuration to that store's client, which a burst on it would otherwise
 * compile (a fresh daemon in an 8-node etcd burst compiled about 60 methods a second). It gives way to real
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
    /** Cycles of whole calls on each store's stand-in: past the 20 calls after which the daemon compiles a method. */
    static final int STAND_IN_CYCLES = 30;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BooleanSupplier busy;
    private final Duration maxWait;
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger standIn = new AtomicInteger();
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

    /** What a warm-up did: the cycles it ran on the file store and on stand-ins of stores, and how many calls failed. */
    record Outcome(int cycles, int failedCalls, int standInCycles) {
    }

    /** Runs the warm-up on this thread (tests). */
    static Outcome runNow(int cycles, BooleanSupplier busy, Duration maxWait) {
        var warmup = new JitWarmup(busy, maxWait);
        warmup.run(cycles);
        return new Outcome(warmup.done.get() - warmup.standIn.get(), warmup.failed.get(), warmup.standIn.get());
    }

    private void run(int cycles) {
        long start = System.nanoTime();
        Path dir = null;
        try {
            WarmupDirs.sweep(Path.of(System.getProperty("java.io.tmpdir")));
            dir = WarmupDirs.create();
            // Each step starts on an empty compile queue, and the store warm-ups run twice: code
            // first run while the queue is long is not queued at all (CompilerQueue).
            byte[] fileConfig = config("file", Map.of("file", Map.of("data_dir", dir.resolve("store").toString())),
                    dir.resolve("attachments"));
            cycles(fileConfig, 0, cycles / 2);
            CompilerQueue.awaitDrained(DRAIN_WAIT);
            cycles(fileConfig, cycles / 2, cycles);
            CompilerQueue.awaitDrained(DRAIN_WAIT);
            // The cycles reach no store client but the file store's; the others warm their own
            // client against stand-ins of their own (StoreProvider.warmUp).
            StoreProviders stores = StoreProviders.discovered();
            for (int pass = 0; pass < STORE_PASSES && mayGoOn(); pass++) {
                stores.warmUpAll();
                CompilerQueue.awaitDrained(DRAIN_WAIT);
            }
            // Then whole calls on each store that lends a stand-in server: the way from a call's
            // configuration to the client, which the cycles above take only to the file store.
            int standInCycles = Math.min(cycles, STAND_IN_CYCLES);
            if (mayGoOn()) {
                Path att = dir;
                stores.lendStandIns((name, fields) -> {
                    if (mayGoOnQuietly()) {
                        standIn.addAndGet(cycles(config(name, fields, att.resolve("attachments-" + name)), 0, standInCycles));
                    }
                });
                CompilerQueue.awaitDrained(DRAIN_WAIT);
            }
            Logs.process().log(LogLevel.VERBOSE, "JIT warm-up %s: %d ADD+DEL cycles, %d on stand-ins of stores, in %d ms%s"
                    .formatted(gaveUp ? "stopped, the daemon was busy" : "done", done.get() - standIn.get(), standIn.get(),
                            (System.nanoTime() - start) / 1_000_000,
                            failed.get() == 0 ? "" : ", " + failed.get() + " calls failed"), null);
        } catch (Exception e) {
            Logs.process().log(LogLevel.VERBOSE, "JIT warm-up stopped: " + e, null);
        } finally {
            if (dir != null) {
                WarmupDirs.delete(dir);
            }
        }
    }

    /**
     * Runs cycles {@code from} to {@code to} from {@link #CALLERS} callers at once (so the pool lanes
     * batch, as in a burst), on an engine of their own that is closed before this returns.
     *
     * @return how many cycles ran
     */
    private int cycles(byte[] config, int from, int to) {
        int before = done.get();
        try (var handler = new CniHandler(Ipam.withDiscoveredStores());
                var callers = Executors.newVirtualThreadPerTaskExecutor()) {
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
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("warm-up interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("warm-up failed", e.getCause());
        }
        return done.get() - before;
    }

    /** {@link #mayGoOn} for a caller that cannot throw: an interrupt ends the warm-up. */
    private boolean mayGoOnQuietly() {
        try {
            return mayGoOn();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
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

    /** A network configuration on {@code datastore}, with the store's own {@code fields} in its ipam section. */
    private static byte[] config(String datastore, Map<String, Object> fields, Path attachments) {
        Map<String, Object> ipam = new LinkedHashMap<>();
        ipam.put("type", "whereabouts");
        ipam.put("range", "10.255.0.0/16");
        ipam.put("datastore", datastore);
        ipam.putAll(fields);
        ipam.put("attachments_dir", attachments.toString());
        ipam.put("log_level", "error");
        return JSON.writeValueAsBytes(Map.of("cniVersion", "1.0.0", "name", "warmup", "type", "macvlan", "ipam", ipam));
    }
}
