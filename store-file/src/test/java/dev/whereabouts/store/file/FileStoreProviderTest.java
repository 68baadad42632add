package dev.whereabouts.store.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import dev.whereabouts.ipam.spi.StoreProvider;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery and configuration of the {@code file} provider. */
class FileStoreProviderTest {

    @TempDir
    Path tmp;

    @Test
    void theProviderIsFoundByServiceLoaderUnderTheNameFile() {
        List<String> names = ServiceLoader.load(StoreProvider.class).stream()
                .map(p -> p.get().name()).toList();
        assertTrue(names.contains("file"), names.toString());
    }

    @Test
    void theModuleDeclaresTheProvider() throws Exception {
        // this module's own descriptor, not the first module-info.class on the class path
        Path classes = Path.of(FileStoreProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            ModuleDescriptor d = ModuleDescriptor.read(in);
            assertEquals("dev.whereabouts.store.file", d.name());
            assertEquals(Set.of(), d.exports(), "a store module exports nothing");
            assertTrue(d.provides().stream().anyMatch(p -> p.service().equals(StoreProvider.class.getName())
                    && p.providers().equals(List.of(FileStoreProvider.class.getName()))));
        }
    }

    @Test
    void theClientKeyIsTheDataDirectory() {
        FileStoreProvider p = new FileStoreProvider();
        assertEquals(tmp.toString(), p.clientKey(Stores.config(tmp)));
        StoreConfig other = new StoreConfig(Map.of("name", "x", "File", Map.of("Data_Dir", tmp + "/./")));
        assertEquals(p.clientKey(Stores.config(tmp)), p.clientKey(other));
        assertEquals(FileStoreProvider.DEFAULT_DATA_DIR, p.clientKey(new StoreConfig(Map.of())));
        assertEquals("/var/lib/cni/whereabouts", FileStoreProvider.DEFAULT_DATA_DIR);
    }

    @Test
    void openingTouchesNothingUntilTheStoreIsUsed() {
        Path dir = tmp.resolve("later/data");
        try (IpamStore store = new FileStoreProvider().open(Stores.config(dir))) {
            assertFalse(Files.exists(dir));
            store.checkAvailable();
            assertTrue(Files.isDirectory(dir.resolve("pools")));
            assertTrue(Files.isDirectory(dir.resolve("reservations")));
            assertTrue(Files.exists(dir.resolve("lock")));
        }
    }

    @Test
    void invalidSettingsAreInvalidConfiguration() {
        FileStoreProvider p = new FileStoreProvider();
        for (Map<String, Object> file : List.<Map<String, Object>>of(
                Map.of("data_dir", "relative/dir"),
                Map.of("data_dir", 42),
                Map.of("data_dir", "/bad\0path"),
                Map.of("data_dir", "/ok", "lock_timeout_ms", 0),
                Map.of("data_dir", "/ok", "lock_timeout_ms", "soon"))) {
            IpamException e = assertThrows(IpamException.class, () -> p.open(new StoreConfig(Map.of("file", file))),
                    file.toString());
            assertEquals(IpamException.INVALID_CONFIG, e.code(), file.toString());
        }
        IpamException e = assertThrows(IpamException.class, () -> p.open(new StoreConfig(Map.of("file", "x"))));
        assertEquals(IpamException.INVALID_CONFIG, e.code());
    }

    @Test
    void aFileWhereTheDataDirectoryShouldBeIsInvalidConfiguration() throws Exception {
        Path file = Files.writeString(tmp.resolve("data"), "not a directory");
        IpamException e = assertThrows(IpamException.class, () -> new FileStoreProvider().clientKey(Stores.config(file)));
        assertEquals(IpamException.INVALID_CONFIG, e.code());
        assertTrue(e.getMessage().contains("not a directory") || e.details().contains("not a directory"), e.toString());
        Path link = Files.createSymbolicLink(tmp.resolve("link"), Files.createDirectory(tmp.resolve("real")));
        assertEquals(link.toString(), new FileStoreProvider().clientKey(Stores.config(link)));
    }

    /**
     * The first calls of a burst on a fresh node: some create the data directory while others judge
     * the configuration. None of them may take the directory appearing for a configuration error.
     */
    @Test
    void aDataDirectoryCreatedMeanwhileIsNoConfigurationError() throws Exception {
        FileStoreProvider p = new FileStoreProvider();
        int judges = 3;
        try (var threads = Executors.newFixedThreadPool(judges + 1)) {
            for (int round = 0; round < 300; round++) {
                Path dir = tmp.resolve("fresh-" + round + "/data");
                StoreConfig config = Stores.config(dir);
                var start = new CyclicBarrier(judges + 1);
                var created = new AtomicBoolean();
                List<Future<?>> calls = new ArrayList<>();
                calls.add(threads.submit(() -> {
                    start.await();
                    Files.createDirectories(dir);
                    created.set(true);
                    return null;
                }));
                for (int j = 0; j < judges; j++) {
                    calls.add(threads.submit(() -> {
                        start.await();
                        while (!created.get()) { // judging right up to the moment it appears
                            p.clientKey(config);
                        }
                        return p.clientKey(config);
                    }));
                }
                for (Future<?> call : calls) {
                    call.get(); // an ExecutionException here carries the refusal
                }
            }
        }
    }
}
