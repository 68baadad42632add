package dev.whereabouts.ipam.spi;

import java.util.Map;
import java.util.function.Consumer;

/**
 * Makes stores of one kind. Found with {@link java.util.ServiceLoader} and selected by the
 * {@code datastore} field of the {@code ipam} section, which must equal {@link #name()}.
 *
 * <p>Declare it twice so that discovery works on the module path and on the class path:
 * <pre>{@code
 * // module-info.java
 * provides dev.whereabouts.ipam.spi.StoreProvider with com.example.MyStoreProvider;
 * // src/main/resources/META-INF/services/dev.whereabouts.ipam.spi.StoreProvider
 * com.example.MyStoreProvider
 * }</pre>
 *
 * <p>A provider needs a public no-argument constructor and must be cheap to construct: the plugin
 * instantiates every provider it finds to read their names.
 *
 * @since 0.1
 */
public interface StoreProvider {

    /** The {@code datastore} value that selects this provider, e.g. {@code file}, {@code etcd}. */
    String name();

    /**
     * Opens a store. Validates the store's own fields first and throws
     * {@link dev.whereabouts.ipam.api.InvalidConfigException} naming any bad one; throws
     * {@link dev.whereabouts.ipam.api.StoreUnavailableException} only for faults a retry may fix.
     */
    IpamStore open(StoreConfig config);

    /**
     * The part of the configuration that identifies one client: two configurations with the same
     * key share one open store in the node daemon. The default keys on the whole section; a store
     * should return only its connection fields (endpoints, credentials, paths).
     */
    default String clientKey(StoreConfig config) {
        return config.section().toString();
    }

    /**
     * Runs this store's client code over made-up data, without contacting any server outside this
     * process, so that the first calls of a freshly started node daemon meet loaded classes and
     * compiled code instead of the interpreter (a burst often arrives right after a node boots).
     * The daemon calls it once, in the background, when it starts. It may talk to a stand-in server
     * it runs itself on a loopback port (the Kubernetes and etcd stores do, with the calls of
     * {@link WarmupCycles}), must not touch any real store, should cost about a second of CPU or
     * less, and may throw: a failed warm-up is ignored. The default does nothing.
     *
     * @since 0.3
     */
    default void warmUp() {}

    /**
     * Lends the daemon's start-up warm-up a stand-in server of this store for whole CNI calls:
     * starts it on a loopback port of this process, runs {@code calls} with the fields of an
     * {@code ipam} section that point this store at it (for etcd, {@code etcd_host} and
     * {@code etcd_prefix}), and stops it once {@code calls} returns.
     *
     * <p>Why, beside {@link #warmUp}: that reaches the client, but not the rest of a call's way to
     * this store, which is compiled only once calls name the store: its configuration fields, its
     * client cache, the engine's pool lanes on it. The rules of {@link #warmUp} hold: nothing
     * outside this process is contacted, and it may throw. The default does not call {@code calls}.
     *
     * @since 0.4
     */
    default void lendStandIn(Consumer<Map<String, Object>> calls) {}
}
