package dev.whereabouts.store.tck;

import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import dev.whereabouts.ipam.spi.StoreProvider;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Provider {@code memory}: stores that live in this JVM only. Configurations with the same
 * {@code "memory": {"name": "..."}} share one backend, so a test can open several clients on it.
 * Meant for tests and demos; nothing survives the process.
 *
 * @since 0.1
 */
public final class InMemoryStoreProvider implements StoreProvider {

    private static final Map<String, InMemoryStore> BACKENDS = new ConcurrentHashMap<>();

    /** Used by {@link java.util.ServiceLoader}. */
    public InMemoryStoreProvider() {}

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public IpamStore open(StoreConfig config) {
        return BACKENDS.computeIfAbsent(backendName(config), n -> InMemoryStore.create()).newClient();
    }

    @Override
    public String clientKey(StoreConfig config) {
        return backendName(config);
    }

    /** The shared backend that configurations naming {@code name} use, for assertions in tests. */
    public static InMemoryStore backend(String name) {
        return BACKENDS.computeIfAbsent(name, n -> InMemoryStore.create());
    }

    private static String backendName(StoreConfig config) {
        return config.section("memory").string("name").orElse("default");
    }
}
