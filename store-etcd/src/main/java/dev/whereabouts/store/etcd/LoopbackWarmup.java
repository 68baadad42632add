package dev.whereabouts.store.etcd;

import dev.whereabouts.ipam.spi.StoreConfig;
import dev.whereabouts.ipam.spi.WarmupCycles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

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
        try (LoopbackEtcd etcd = LoopbackEtcd.start()) {
            StoreConfig config = new StoreConfig(Map.of("etcd_host", etcd.endpoint(), "etcd_prefix", "/whereabouts-warmup"));
            try (EtcdStore store = new EtcdStore(EtcdSettings.from(config))) {
                WarmupCycles.run(store, cycles);
            }
            return "cycles=" + cycles + " revision=" + etcd.revision() + " keys=" + etcd.keyCount();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
