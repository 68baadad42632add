package dev.whereabouts.ipam.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.spi.StoreConfig;
import dev.whereabouts.ipam.spi.StoreProvider;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Provider discovery and selection. */
class StoreLoaderTest {

    @Test
    void discoverySkipsABrokenProvider() {
        try (Ipam ipam = Ipam.withDiscoveredStores()) {
            assertEquals(List.of("memory", "test-memory"), ipam.storeNames());
        }
    }

    @Test
    void unknownNameListsTheProvidersFound() {
        try (StoreLoader loader = new StoreLoader(StoreProviders.of(List.of(new TestStoreProvider())))) {
            IpamException e = assertThrows(IpamException.class, () -> loader.open("kubernetes", new StoreConfig(Map.of())));
            assertEquals(IpamException.INVALID_CONFIG, e.code());
            assertTrue(e.getMessage().contains("[test-memory]"), e.getMessage());
            assertTrue(e.details().contains("ipam.datastore") && e.details().contains("kubernetes"), e.details());
        }
    }

    @Test
    void twoProvidersWithOneNameFailFast() throws Exception {
        URL dir = StoreLoaderTest.class.getResource("/duplicate-providers/");
        try (URLClassLoader cl = new URLClassLoader(new URL[] {dir}, StoreLoaderTest.class.getClassLoader())) {
            List<StoreProvider> found = StoreProviders.discover(ServiceLoader.load(StoreProvider.class, cl).iterator());
            IpamException e = assertThrows(IpamException.class, () -> StoreProviders.of(found));
            assertEquals("two store providers are named 'test-memory'", e.getMessage());
        }
        assertThrows(IpamException.class, () -> Ipam.withProviders(List.of(new TestStoreProvider(), new DuplicateStoreProvider())));
    }

    @Test
    void explicitProvidersAreSortedByName() {
        StoreProvider other = new StoreProvider() {
            @Override
            public String name() {
                return "aaa";
            }

            @Override
            public dev.whereabouts.ipam.spi.IpamStore open(StoreConfig config) {
                return new TestStore();
            }
        };
        try (Ipam ipam = Ipam.withProviders(List.of(new TestStoreProvider(), other))) {
            assertEquals(List.of("aaa", "test-memory"), ipam.storeNames());
        }
    }

    @Test
    void aToolOpensItsOwnStoreByTheSectionsDatastore() {
        StoreProviders providers = StoreProviders.of(List.of(new TestStoreProvider()));
        StoreConfig section = new StoreConfig(Map.of("Datastore", "test-memory"));
        int before = TestStoreProvider.OPENED.get();
        providers.open(section);
        providers.open(section);
        assertEquals(before + 2, TestStoreProvider.OPENED.get(), "nothing cached: each open is the caller's to close");
        assertEquals("kubernetes", StoreProviders.datastore(new StoreConfig(Map.of("datastore", ""))));
        IpamException e = assertThrows(IpamException.class, () -> providers.open(new StoreConfig(Map.of())));
        assertEquals(IpamException.INVALID_CONFIG, e.code());
        assertEquals("unknown datastore 'kubernetes'; available: [test-memory]", e.getMessage());
    }

    @Test
    void aClosedLoaderOpensNothing() {
        StoreLoader loader = new StoreLoader(StoreProviders.of(List.of(new TestStoreProvider())));
        loader.close();
        assertThrows(IllegalStateException.class, () -> loader.open("test-memory", new StoreConfig(Map.of())));
    }

    @Test
    void aWarmUpThatFailsDoesNotKeepTheOtherStoresFromTheirs() {
        List<String> warmed = new java.util.ArrayList<>();
        StoreProvider broken = provider("broken", () -> {
            throw new IllegalStateException("no warm-up today");
        });
        StoreProvider fine = provider("fine", () -> warmed.add("fine"));
        StoreProviders.of(List.of(broken, fine)).warmUpAll();
        assertEquals(List.of("fine"), warmed);
    }

    @Test
    void eachStandInIsLentUnderItsStoresNameAndOneThatFailsKeepsNoOtherFromLending() {
        Map<String, Map<String, Object>> lent = new java.util.TreeMap<>();
        StoreProvider broken = provider("broken", () -> { }, calls -> {
            throw new IllegalStateException("no stand-in today");
        });
        StoreProvider fine = provider("fine", () -> { }, calls -> calls.accept(Map.of("fine_host", "127.0.0.1:1")));
        StoreProvider silent = provider("silent", () -> { }, calls -> { }); // lends nothing
        StoreProviders.of(List.of(broken, fine, silent)).lendStandIns(lent::put);
        assertEquals(Map.of("fine", Map.of("fine_host", "127.0.0.1:1")), lent);
    }

    private static StoreProvider provider(String name, Runnable warmUp) {
        return provider(name, warmUp, calls -> { });
    }

    private static StoreProvider provider(String name, Runnable warmUp, Consumer<Consumer<Map<String, Object>>> lend) {
        return new StoreProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public dev.whereabouts.ipam.spi.IpamStore open(StoreConfig config) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void warmUp() {
                warmUp.run();
            }

            @Override
            public void lendStandIn(Consumer<Map<String, Object>> calls) {
                lend.accept(calls);
            }
        };
    }
}
