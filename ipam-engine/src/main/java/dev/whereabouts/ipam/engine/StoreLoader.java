package dev.whereabouts.ipam.engine;

import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import dev.whereabouts.ipam.spi.StoreProvider;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one open store per {@code (name, clientKey)} so that a long-running daemon reuses warm
 * clients; which provider a name means is {@link StoreProviders}' to say.
 */
final class StoreLoader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StoreLoader.class);

    private record CacheKey(String name, String clientKey) {}

    private final StoreProviders providers;
    private final Map<CacheKey, IpamStore> open = new ConcurrentHashMap<>();
    private volatile boolean closed;

    StoreLoader(StoreProviders providers) {
        this.providers = providers;
    }

    List<String> names() {
        return providers.names();
    }

    /**
     * The open store for a configuration, opening it on first use.
     *
     * @throws IpamException code 7 when no provider has that name (the message lists those found)
     */
    IpamStore open(String datastore, StoreConfig config) {
        if (closed) {
            throw new IllegalStateException("the engine is closed");
        }
        StoreProvider provider = providers.provider(datastore);
        CacheKey key = new CacheKey(datastore, provider.clientKey(config));
        return open.computeIfAbsent(key, k -> {
            LOG.debug("opening store '{}'", datastore);
            return provider.open(config);
        });
    }

    @Override
    public void close() {
        closed = true;
        for (IpamStore store : open.values()) {
            try {
                store.close();
            } catch (RuntimeException e) {
                LOG.warn("closing a store failed", e);
            }
        }
        open.clear();
    }
}
