package dev.whereabouts.store.file;

import dev.whereabouts.ipam.api.InvalidConfigException;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import dev.whereabouts.ipam.spi.StoreProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;

/**
 * Provider {@code file}: allocations kept in a directory on the node, for single-node clusters,
 * edge hosts and tests, with no API server or etcd to run. Configured inside the {@code ipam}
 * section:
 *
 * <pre>{@code
 * "datastore": "file",
 * "file": { "data_dir": "/var/lib/cni/whereabouts", "lock_timeout_ms": 10000 }
 * }</pre>
 *
 * <p>{@code data_dir} (default {@value #DEFAULT_DATA_DIR}) must be an absolute path on a local file
 * system; it is created when missing. {@code lock_timeout_ms} (default 10000) bounds how long a call
 * waits for the directory lock before failing with CNI code 11. Every process and thread that uses
 * the same directory shares one consistent state; the addresses are local to the node, as in
 * host-local.
 *
 * @since 0.1
 */
public final class FileStoreProvider implements StoreProvider {

    /** Where the state lives when {@code data_dir} is not set. */
    public static final String DEFAULT_DATA_DIR = "/var/lib/cni/whereabouts";

    private static final long DEFAULT_LOCK_TIMEOUT_MS = 10_000;

    /** Used by {@link java.util.ServiceLoader}; cheap. */
    public FileStoreProvider() {}

    @Override
    public String name() {
        return "file";
    }

    @Override
    public IpamStore open(StoreConfig config) {
        Settings settings = settings(config);
        return new FileStore(settings.dataDir(), settings.lockTimeout());
    }

    /**
     * The data directory: stores on the same directory share one client in the daemon. Every
     * configuration's own fields are checked here too, so that a bad one is refused even when an
     * open store for its directory is reused, exactly as a fresh process would refuse it.
     */
    @Override
    public String clientKey(StoreConfig config) {
        return settings(config).dataDir().toString();
    }

    private record Settings(Path dataDir, Duration lockTimeout) {}

    private static Settings settings(StoreConfig config) {
        StoreConfig file = config.section("file");
        long timeout = file.number("lock_timeout_ms").orElse(DEFAULT_LOCK_TIMEOUT_MS);
        if (timeout < 1 || timeout > 600_000) {
            throw new InvalidConfigException("file.lock_timeout_ms", Long.toString(timeout),
                    "must be between 1 and 600000");
        }
        Path dir = dataDir(config);
        // A file where the directory should be is a mistake no retry fixes. One stat(2), not
        // isDirectory then exists: between those two, the first calls of a burst on a fresh node
        // create the directory, and the call that asked in between refused a valid configuration.
        try {
            if (!Files.readAttributes(dir, BasicFileAttributes.class).isDirectory()) {
                throw new InvalidConfigException("file.data_dir", dir.toString(), "exists and is not a directory");
            }
        } catch (NoSuchFileException absent) {
            // created on first use
        } catch (IOException unknown) {
            // not for the configuration to judge: the store's first use reports what is wrong
        }
        return new Settings(dir, Duration.ofMillis(timeout));
    }

    private static Path dataDir(StoreConfig config) {
        String text = config.section("file").string("data_dir").orElse(DEFAULT_DATA_DIR);
        Path dir;
        try {
            dir = Path.of(text);
        } catch (InvalidPathException e) {
            throw new InvalidConfigException("file.data_dir", Names.printable(text), "not a path: " + e.getReason());
        }
        if (!dir.isAbsolute()) {
            throw new InvalidConfigException("file.data_dir", Names.printable(text), "must be an absolute path");
        }
        return dir.normalize();
    }
}
