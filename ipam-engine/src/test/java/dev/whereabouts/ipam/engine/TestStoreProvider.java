package dev.whereabouts.ipam.engine;

import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import dev.whereabouts.ipam.spi.StoreProvider;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Provider {@code test-memory}: configurations with the same {@code "test": {"backend": "..."}} share
 * one {@link TestStore}, so a test can inspect what the engine wrote.
 */
public final class TestStoreProvider implements StoreProvider {

    private static final Map<String, TestStore> BACKENDS = new ConcurrentHashMap<>();
    static final AtomicInteger OPENED = new AtomicInteger();

    /** For the ServiceLoader. */
    public TestStoreProvider() {}

    @Override
    public String name() {
        return "test-memory";
    }

    @Override
    public IpamStore open(StoreConfig config) {
        OPENED.incrementAndGet();
        return backend(key(config));
    }

    @Override
    public String clientKey(StoreConfig config) {
        return key(config);
    }

    static TestStore backend(String name) {
        return BACKENDS.computeIfAbsent(name, n -> new TestStore());
    }

    private static String key(StoreConfig config) {
        return config.section("test").string("backend").orElse("default");
    }
}
