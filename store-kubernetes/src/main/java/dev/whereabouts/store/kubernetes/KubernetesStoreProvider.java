package dev.whereabouts.store.kubernetes;

import dev.whereabouts.ipam.spi.ConfigValues;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import dev.whereabouts.ipam.spi.StoreProvider;
import dev.whereabouts.ipam.spi.WarmupCycles;
import dev.whereabouts.store.kubernetes.client.KubernetesClients;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code kubernetes} datastore: allocations in upstream whereabouts' {@code IPPool} and
 * {@code OverlappingRangeIPReservation} custom resources, so that this plugin and upstream's can
 * run side by side on the same objects.
 *
 * <p>Configuration, in the {@code ipam} section (or the flat file): {@code kubernetes.kubeconfig},
 * the kubeconfig file whose current context gives the server, credentials and namespace (default
 * {@code kube-system}, as upstream); without it the pod's service account is used, with the
 * namespace from {@code WHEREABOUTS_NAMESPACE} and the server from {@code kubernetes.k8s_api_root}
 * or {@code KUBERNETES_SERVICE_HOST}/{@code _PORT} (with a kubeconfig, {@code k8s_api_root} is
 * ignored, as upstream ignores it). The client is {@link KubernetesClients}': every API call is bounded
 * by its connect and request timeouts and is not retried by the client; the engine decides about
 * retries.
 *
 * <p>{@code kubernetes.watch_pools} ({@code false} by default) makes the store watch each
 * {@code IPPool} this node writes, so that another node's write reaches the engine as an event
 * instead of as a conflict and a GET. Every write to a watched pool then costs every watching node
 * a decode of the whole object, which in a burst of many nodes on one pool costs more than the
 * reads it saves ("Following pools" in {@code docs/operations.md}), hence off unless asked for.
 *
 * <p>The store also implements {@link dev.whereabouts.ipam.spi.NodeRangeSource} (node slices and
 * per-node ranges).
 */
public final class KubernetesStoreProvider implements StoreProvider {

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesStoreProvider.class);

    /** Needed by {@link java.util.ServiceLoader}; does nothing. */
    public KubernetesStoreProvider() {}

    @Override
    public String name() {
        return "kubernetes";
    }

    @Override
    public IpamStore open(StoreConfig config) {
        return new KubernetesIpamStore(KubernetesClients.connect(config, System.getenv()), watchPools(config));
    }

    @Override
    public void warmUp() {
        ClientWarmup.run(KubernetesClients.serialization(), ClientWarmup.ROUNDS);
        LOG.debug("kubernetes client warm-up over loopback: {}", LoopbackWarmup.run(WarmupCycles.DEFAULT));
    }

    /** A stand-in API server of this process ({@link LoopbackWarmup}) for whole CNI calls; nothing reaches a real one. */
    @Override
    public void lendStandIn(Consumer<Map<String, Object>> calls) {
        LoopbackWarmup.lend(calls);
    }

    @Override
    public String clientKey(StoreConfig config) {
        return KubernetesClients.connectionKey(config) + (watchPools(config) ? "|watch_pools" : "");
    }

    /**
     * Whether to follow written pools by a watch.
     *
     * @throws dev.whereabouts.ipam.api.InvalidConfigException when the value is not a boolean
     */
    static boolean watchPools(StoreConfig config) {
        return config.section("kubernetes").value(WATCH_POOLS)
                .map(v -> ConfigValues.bool("kubernetes." + WATCH_POOLS, v)).orElse(false);
    }

    static final String WATCH_POOLS = "watch_pools";
}
