package dev.whereabouts.store.kubernetes;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.spi.CommitOutcome;
import dev.whereabouts.ipam.spi.ContentionLock;
import dev.whereabouts.ipam.spi.StoreConfig;
import dev.whereabouts.store.kubernetes.client.KubernetesClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The store's calls of a burst, made by a real client of this store against a {@link LoopbackApi}
 * in this process: a fresh daemon's start-up warm-up ({@link KubernetesStoreProvider#warmUp}).
 *
 * <p>Why: in an 8-daemon burst on the mock API server, fresh daemons compiled about 3,100 methods
 * after their file-store warm-up, 40 % of their CPU in the burst, most of them the JDK's HTTP
 * client, fabric8's request and watch code and the store's own. Daemons that had served 40 calls on
 * the mock before the burst used 8 ms of CPU per ADD instead of 19-22, and the burst's ADD p99
 * was 1.3 s instead of 2.0-3.3 s. Decoding made-up objects ({@link ClientWarmup}) reaches none of
 * that code; a client talking HTTP to a server of the process's own does, and no request leaves it.
 */
final class LoopbackWarmup {

    /** ADD+DEL cycles: each method on the way runs more than the 20 calls after which it is compiled. */
    static final int CYCLES = 25;
    private static final String NAMESPACE = "whereabouts-warmup";

    private LoopbackWarmup() {}

    /** Runs {@code cycles} ADD+DEL cycles, each in a turn on the pool, and returns the server's counts. */
    static String run(int cycles) {
        Path dir;
        try {
            dir = Files.createTempDirectory("whereabouts-warmup");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (LoopbackApi api = LoopbackApi.start()) {
            Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), """
                    {"apiVersion": "v1", "kind": "Config", "current-context": "warmup",
                     "clusters": [{"name": "loopback", "cluster": {"server": "%s"}}],
                     "users": [{"name": "warmup", "user": {"token": "warmup"}}],
                     "contexts": [{"name": "warmup", "context": {"cluster": "loopback", "user": "warmup", "namespace": "%s"}}]}
                    """.formatted(api.url(), NAMESPACE));
            StoreConfig config = new StoreConfig(Map.of("kubernetes", Map.of("kubeconfig", kubeconfig.toString())));
            try (KubernetesIpamStore store = new KubernetesIpamStore(KubernetesClients.connect(config, Map.of()), false)) {
                cycles(store, cycles);
            }
            return api.counts();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(dir.resolve("kubeconfig"));
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                // a leftover empty temporary directory
            }
        }
    }

    private static void cycles(KubernetesIpamStore store, int cycles) {
        PoolKey key = PoolKey.of(Cidr.parse("10.255.0.0/24"), "warmup");
        PoolVersion version = store.read(key).version();
        for (int i = 0; i < cycles; i++) {
            IpAddress ip = key.range().network().plus(1 + i % 250);
            Owner owner = new Owner("warmup-" + i, "net1", "warmup/pod-" + i);
            Reservation reservation = new Reservation(key.networkName(), ip, owner);
            store.turnTakenElsewhere(key);
            Optional<ContentionLock.Turn> turn = store.awaitTurn(key, Duration.ofSeconds(2));
            try {
                version = committed(store.commit(key, version, new PoolChange(List.of(new Allocation(ip, owner)),
                        List.of(), List.of(reservation), List.of())), store, key);
                version = committed(store.commit(key, version, new PoolChange(List.of(), List.of(ip), List.of(),
                        List.of(reservation))), store, key);
            } finally {
                turn.ifPresent(ContentionLock.Turn::close);
            }
        }
    }

    /** The version after {@code outcome}; after anything but a commit (nothing else writes here), read. */
    private static PoolVersion committed(CommitOutcome outcome, KubernetesIpamStore store, PoolKey key) {
        return outcome instanceof CommitOutcome.Committed c ? c.version() : store.read(key).version();
    }
}
