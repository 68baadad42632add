package dev.whereabouts.store.etcd;

import dev.whereabouts.ipam.spi.StoreConfig;
import dev.whereabouts.ipam.spi.WarmupCycles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The store's calls of a burst, made by a real client of this store against a {@link LoopbackEtcd}
 * in this process: a fresh daemon's start-up warm-up ({@link EtcdStoreProvider#warmUp}).
 *
 * <p>Why: after the daemon's file-store warm-up, a fresh daemon in an etcd burst still compiled
 * about 2,000 methods of the etcd client (gRPC, Netty, jetcd, protobuf), and its compiler threads
 * took a quarter of both cores in the burst's first seconds. Daemons that had served 40 calls on
 * the real etcd before an 8-daemon burst used 4.7 ms of CPU per ADD instead of 11-12, with half
 * the p99. A client talking gRPC to a server of the process's own runs that code, and no request
 * leaves the process.
 */
final class LoopbackWarmup {

    private LoopbackWarmup() {}

    /** Runs {@code cycles} of {@link WarmupCycles} and returns what they did to the stand-in. */
    static String run(int cycles) {
        var done = new StringBuilder();
        lend(fields -> {
            try (EtcdStore store = new EtcdStore(EtcdSettings.from(new StoreConfig(fields)))) {
                WarmupCycles.run(store, cycles);
            }
            done.append("cycles=").append(cycles);
        }, etcd -> done.append(" revision=").append(etcd.revision()).append(" keys=").append(etcd.keyCount()));
        return done.toString();
    }

    /** {@link EtcdStoreProvider#lendStandIn}: a stand-in etcd for as long as {@code calls} runs. */
    static void lend(Consumer<Map<String, Object>> calls) {
        lend(calls, etcd -> { });
    }

    private static void lend(Consumer<Map<String, Object>> calls, Consumer<LoopbackEtcd> after) {
        try (LoopbackEtcd etcd = LoopbackEtcd.start()) {
            calls.accept(Map.of("etcd_host", etcd.endpoint(), "etcd_prefix", "/whereabouts-warmup"));
            after.accept(etcd);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
