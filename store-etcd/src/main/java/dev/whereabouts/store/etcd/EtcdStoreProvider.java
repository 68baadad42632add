package dev.whereabouts.store.etcd;

import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import dev.whereabouts.ipam.spi.StoreProvider;
import dev.whereabouts.ipam.spi.WarmupCycles;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code etcd} datastore: allocations in an etcd v3 cluster, written with transactions.
 *
 * <p>Fields of the {@code ipam} section (upstream's names, plus four of ours):
 * <ul>
 *   <li>{@code etcd_host}: one or more endpoints, as a list or comma-separated, each
 *       {@code host:port} or {@code http(s)://host:port} (required);</li>
 *   <li>{@code etcd_username}, {@code etcd_password}: basic auth, both or neither;</li>
 *   <li>{@code etcd_cert_file}, {@code etcd_key_file}: client certificate and key (PEM) for mutual
 *       TLS, both or neither; {@code etcd_ca_cert_file}: the CA bundle that signed the servers.
 *       Any of them, or an {@code https://} endpoint, switches TLS on;</li>
 *   <li>{@code etcd_prefix}: key prefix, default {@code /whereabouts}, so that several clusters
 *       can share one etcd;</li>
 *   <li>{@code etcd_timeout_ms}: bound of every call, default 5000;</li>
 *   <li>{@code etcd_max_txn_ops}: the server's {@code --max-txn-ops}, default 128 as etcd's;</li>
 *   <li>{@code etcd_watch_pools}: follow the pools this node writes by a watch, so that after a
 *       lost race the engine waits for the winning write instead of reading the pool; default
 *       {@code false}, since every follower then handles every other node's writes ("Following
 *       pools" in {@code docs/operations.md}).</li>
 * </ul>
 *
 * <p>Opening validates the fields and reads the TLS files, and fails with an
 * {@link dev.whereabouts.ipam.api.InvalidConfigException} naming the field; it does not contact
 * etcd. A store that cannot reach etcd throws
 * {@link dev.whereabouts.ipam.api.StoreUnavailableException} from its calls.
 *
 * @since 0.1
 */
public final class EtcdStoreProvider implements StoreProvider {

    private static final Logger LOG = LoggerFactory.getLogger(EtcdStoreProvider.class);

    /** Called by {@link java.util.ServiceLoader}; does nothing. */
    public EtcdStoreProvider() {}

    @Override
    public String name() {
        return "etcd";
    }

    @Override
    public IpamStore open(StoreConfig config) {
        return new EtcdStore(EtcdSettings.from(config));
    }

    /**
     * Runs a real client of this store against a stand-in etcd on a loopback port of this process
     * ({@link LoopbackWarmup}), so that a daemon's first calls on etcd do not run its gRPC code in
     * the interpreter. Nothing reaches a real etcd.
     */
    @Override
    public void warmUp() {
        LOG.debug("etcd client warm-up over loopback: {}", LoopbackWarmup.run(WarmupCycles.DEFAULT));
    }

    /** A stand-in etcd of this process ({@link LoopbackWarmup}) for whole CNI calls; nothing reaches a real etcd. */
    @Override
    public void lendStandIn(Consumer<Map<String, Object>> calls) {
        LoopbackWarmup.lend(calls);
    }

    /** Endpoints, user, certificate paths and prefix: what makes two clients different. */
    @Override
    public String clientKey(StoreConfig config) {
        EtcdSettings s = EtcdSettings.from(config);
        // No password in the key: keys may be logged.
        return String.join("|", "etcd", s.endpoints().toString(), s.username(), s.certFile(), s.keyFile(), s.caFile(),
                s.prefix(), Long.toString(s.timeout().toMillis()), Integer.toString(s.maxTxnOps()),
                Boolean.toString(s.watchPools()));
    }
}
