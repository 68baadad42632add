package dev.whereabouts.ipam.engine;

import dev.whereabouts.ipam.api.InvalidConfigException;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import dev.whereabouts.ipam.spi.StoreProvider;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds store providers, selects one by {@code datastore} and keeps one open store per
 * {@code (name, clientKey)} so that a long-running daemon reuses warm clients.
 */
final class StoreLoader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StoreLoader.class);
    private static final int MAX_BROKEN = 64;

    private record CacheKey(String name, String clientKey) {}

    private final Map<String, StoreProvider> providers;
    private final Map<CacheKey, IpamStore> open = new ConcurrentHashMap<>();
    private volatile boolean closed;

    StoreLoader(List<StoreProvider> providers) {
        Map<String, StoreProvider> byName = new TreeMap<>();
        for (StoreProvider p : providers) {
            StoreProvider other = byName.putIfAbsent(p.name(), p);
            if (other != null) {
                throw new IpamException(IpamException.INTERNAL, "two store providers are named '" + p.name() + "'",
                        other.getClass().getName() + " and " + p.getClass().getName());
            }
        }
        this.providers = byName;
    }

    /**
     * Instantiates every provider the iterator yields. A provider that cannot be loaded is logged
     * and skipped, so one broken jar does not take down every other store.
     */
    static List<StoreProvider> discover(Iterator<StoreProvider> it) {
        List<StoreProvider> out = new ArrayList<>();
        int broken = 0;
        while (true) {
            try {
                if (!it.hasNext()) {
                    return out;
                }
                out.add(it.next());
            } catch (ServiceConfigurationError e) {
                LOG.error("skipping a store provider that could not be loaded: {}", e.getMessage(), e);
                if (++broken >= MAX_BROKEN) {
                    return out;
                }
            }
        }
    }

    List<String> names() {
        return List.copyOf(providers.keySet());
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
        StoreProvider provider = providers.get(datastore);
        if (provider == null) {
            throw new InvalidConfigException("unknown datastore '" + datastore + "'; available: " + names(),
                    "ipam.datastore", datastore, "no store provider of that name was found");
        }
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
