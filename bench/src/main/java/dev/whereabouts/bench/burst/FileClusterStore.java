package dev.whereabouts.bench.burst;

import dev.whereabouts.ipam.spi.StoreConfig;
import java.nio.file.Path;
import java.util.Map;

/** The node-local file store in a directory of the run: one node only, nothing to count. */
public final class FileClusterStore implements ClusterStore {

    private final Path dataDir;

    /** Keeps the store's data under {@code dir/data}. */
    public FileClusterStore(Path dir) {
        dataDir = dir.resolve("data");
    }

    @Override
    public String name() {
        return "file";
    }

    @Override
    public boolean nodeLocal() {
        return true;
    }

    @Override
    public String ipamFields(boolean watchPools) { // node-local: nothing to follow
        return "\"datastore\":\"file\",\"file\":{\"data_dir\":\"%s\"}".formatted(dataDir);
    }

    @Override
    public StoreConfig storeConfig() {
        return new StoreConfig(Map.of("file", Map.of("data_dir", dataDir.toString())));
    }

    @Override
    public Map<String, Long> counters() {
        return Map.of();
    }

    @Override
    public void close() {
        // the run's directory is removed with the run
    }
}
