package dev.whereabouts.store.etcd;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A child JVM of {@link CloseTest}: uses a store, closes it and writes which threads it saw and
 * which were left, to the file named by its second argument. It returns from {@code main} without
 * {@code System.exit}: if any non-daemon thread survived, this JVM would never end.
 */
public final class CloseProbe {

    private CloseProbe() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        PoolKey pool = PoolKey.of(Cidr.parse("10.80.0.0/24"), "");
        IpamStore store = new EtcdStoreProvider().open(new StoreConfig(Map.of("etcd_host", args[0],
                "etcd_prefix", "/close", "etcd_timeout_ms", 30_000)));
        store.commit(pool, PoolVersion.ABSENT, EtcdStoreTest.add(pool, "10.80.0.1", EtcdStoreTest.owner(1)));
        store.read(pool);
        store.checkAvailable();
        String seen = names(before);
        store.close();
        String ownLeft = names(before).lines().filter(n -> n.startsWith("whereabouts-etcd-")).collect(Collectors.joining(","));
        // gRPC releases its shared event loop a moment after the last channel closed, and Netty's
        // global executor thread (not a daemon) ends itself after a second without work.
        String left = names(before);
        for (int i = 0; i < 100 && (left.lines().anyMatch(CloseProbe::networkThread) || !nonDaemon(before).isEmpty()); i++) {
            Thread.sleep(100);
            left = names(before);
        }
        Files.write(Path.of(args[1]), List.of(
                "SEEN " + seen.replace('\n', ','),
                "OWN-LEFT-AT-CLOSE " + ownLeft,
                "NETWORK-LEFT " + left.lines().filter(CloseProbe::networkThread).collect(Collectors.joining(",")),
                "NON-DAEMON-LEFT " + nonDaemon(before)));
    }

    private static String nonDaemon(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive() && !t.isDaemon())
                .map(Thread::getName).collect(Collectors.joining(","));
    }

    static boolean networkThread(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.contains("eventloop") || n.contains("elg") || n.contains("vert.x") || n.startsWith("jetcd")
                || n.startsWith("whereabouts-etcd");
    }

    private static String names(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t) && t.isAlive())
                .map(Thread::getName).sorted().collect(Collectors.joining("\n"));
    }
}
