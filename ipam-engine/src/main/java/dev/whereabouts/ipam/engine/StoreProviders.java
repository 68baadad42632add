package dev.whereabouts.ipam.engine;

import dev.whereabouts.ipam.api.InvalidConfigException;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.engine.config.IpamSection;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import dev.whereabouts.ipam.spi.StoreProvider;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store providers by name, and the one way to turn a {@code datastore} into a store. The engine
 * opens its stores through this registry, and so do tools that need a store outside a CNI call (the
 * operator CLI, the reconciler, the controllers), so that all of them find the same providers and
 * fail the same way:
 * <ul>
 *   <li>a provider that cannot be loaded is logged and skipped, so one broken jar does not take down
 *       every other store;</li>
 *   <li>two providers with one name are an error at once (code 999): which one would win depends on
 *       the order of the module path;</li>
 *   <li>an unknown {@code datastore} is code 7, and the message lists the providers found.</li>
 * </ul>
 *
 * <pre>{@code
 * try (IpamStore store = StoreProviders.discovered().open(new StoreConfig(section))) {
 *     store.pools();
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class StoreProviders {

    private static final Logger LOG = LoggerFactory.getLogger(StoreProviders.class);
    /** Beyond this many broken providers the iterator itself is suspect; stop instead of spinning. */
    private static final int MAX_BROKEN = 64;

    private final Map<String, StoreProvider> byName;

    private StoreProviders(Map<String, StoreProvider> byName) {
        this.byName = byName;
    }

    /**
     * Every provider found by {@link ServiceLoader} on the module path or the class path.
     *
     * @throws IpamException code 999 when two providers have one name
     */
    public static StoreProviders discovered() {
        return of(discover(ServiceLoader.load(StoreProvider.class, StoreProviders.class.getClassLoader()).iterator()));
    }

    /**
     * Exactly these providers.
     *
     * @throws IpamException code 999 when two providers have one name
     */
    public static StoreProviders of(List<StoreProvider> providers) {
        Map<String, StoreProvider> byName = new TreeMap<>();
        for (StoreProvider p : providers) {
            StoreProvider other = byName.putIfAbsent(p.name(), p);
            if (other != null) {
                throw new IpamException(IpamException.INTERNAL, "two store providers are named '" + p.name() + "'",
                        other.getClass().getName() + " and " + p.getClass().getName());
            }
        }
        return new StoreProviders(byName);
    }

    /** Instantiates every provider the iterator yields, skipping (and logging) those that fail to load. */
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

    /** Runs every provider's {@link StoreProvider#warmUp}; one that fails is logged and skipped. */
    public void warmUpAll() {
        byName.forEach((name, provider) -> {
            try {
                provider.warmUp();
            } catch (RuntimeException | LinkageError e) {
                LOG.debug("warm-up of store '{}' failed: {}", name, e.toString());
            }
        });
    }

    /**
     * Runs {@code calls} once per provider that lends a stand-in server ({@link StoreProvider#lendStandIn}),
     * with its name and the {@code ipam} fields that point it at the stand-in; one that fails is
     * logged and skipped.
     */
    public void lendStandIns(BiConsumer<String, Map<String, Object>> calls) {
        byName.forEach((name, provider) -> {
            try {
                provider.lendStandIn(fields -> calls.accept(name, fields));
            } catch (RuntimeException | LinkageError e) {
                LOG.debug("stand-in of store '{}' failed: {}", name, e.toString());
            }
        });
    }

    /** The names of the providers, sorted. */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /**
     * The {@code datastore} a section names, {@value IpamSection#DEFAULT_DATASTORE} when it names none
     * (the same default as a CNI call's).
     */
    public static String datastore(StoreConfig section) {
        return section.string("datastore").orElse(IpamSection.DEFAULT_DATASTORE);
    }

    /**
     * Opens a new store of the provider the section's {@code datastore} names; the caller closes it.
     *
     * @throws IpamException code 7 when no provider has that name, else whatever the provider throws
     */
    public IpamStore open(StoreConfig section) {
        return open(datastore(section), section);
    }

    /**
     * Opens a new store of the named provider on {@code section}; the caller closes it. For tools
     * whose sections name no {@code datastore} (test and load harnesses).
     *
     * @throws IpamException code 7 when no provider has that name, else whatever the provider throws
     */
    public IpamStore open(String datastore, StoreConfig section) {
        return provider(datastore).open(section);
    }

    /**
     * The provider of that name.
     *
     * @throws IpamException code 7 when there is none (the message lists the providers found)
     */
    StoreProvider provider(String datastore) {
        StoreProvider provider = byName.get(datastore);
        if (provider == null) {
            throw new InvalidConfigException("unknown datastore '" + datastore + "'; available: " + names(),
                    "ipam.datastore", datastore, "no store provider of that name was found");
        }
        return provider;
    }
}
