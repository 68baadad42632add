package dev.whereabouts.store.kubernetes;

import dev.whereabouts.ipam.spi.StoreConfig;
import dev.whereabouts.ipam.spi.WarmupCycles;
import dev.whereabouts.store.kubernetes.client.KubernetesClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

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

    private static final String NAMESPACE = "whereabouts-warmup";

    private LoopbackWarmup() {}

    /** Runs {@code cycles} of {@link WarmupCycles} and returns the server's counts. */
    static String run(int cycles) {
        var counts = new StringBuilder();
        lend(fields -> {
            try (KubernetesIpamStore store = new KubernetesIpamStore(
                    KubernetesClients.connect(new StoreConfig(fields), Map.of()), false)) {
                WarmupCycles.run(store, cycles);
            }
        }, api -> counts.append(api.counts()));
        return counts.toString();
    }

    /** {@link KubernetesStoreProvider#lendStandIn}: a stand-in API server for as long as {@code calls} runs. */
    static void lend(Consumer<Map<String, Object>> calls) {
        lend(calls, api -> { });
    }

    private static void lend(Consumer<Map<String, Object>> calls, Consumer<LoopbackApi> after) {
        Path dir;
        try {
            // named as the daemon's own warm-up directories, whose start removes those of dead daemons
            dir = Files.createTempDirectory("whereabouts-warmup-" + ProcessHandle.current().pid() + "-");
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
            calls.accept(Map.of("kubernetes", Map.of("kubeconfig", kubeconfig.toString())));
            after.accept(api);
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
}
