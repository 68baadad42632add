package dev.whereabouts.ops.schedule;

import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.engine.ConfigFiles;
import dev.whereabouts.ipam.spi.StoreConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Where the reconciler's cron expression comes from, in upstream's order: the ConfigMap file
 * ({@code whereabouts-config}, key {@code cron-expression}), then the flat file's
 * {@code reconciler_cron_expression}, then {@value CronSchedule#DEFAULT_EXPRESSION}.
 *
 * @since 0.1
 */
public final class CronSources {

    /** Where the DaemonSet mounts the ConfigMap key. */
    public static final Path CONFIG_MAP_FILE = Path.of("/etc/whereabouts/config/cron-expression");

    private CronSources() {}

    /** Reads the files each time it is asked, so edits are picked up. */
    public static Supplier<String> fromFiles(Path configMapFile, Path flatConfig) {
        return () -> {
            String fromMap = readTrimmed(configMapFile);
            if (!fromMap.isEmpty()) {
                return fromMap;
            }
            String fromFlat = flatExpression(flatConfig);
            return fromFlat.isEmpty() ? CronSchedule.DEFAULT_EXPRESSION : fromFlat;
        };
    }

    private static String readTrimmed(Path p) {
        if (p == null || !Files.isRegularFile(p)) {
            return "";
        }
        try {
            return Files.readString(p).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** The flat file's {@code reconciler_cron_expression}; {@code ""} for anything unusable. */
    private static String flatExpression(Path flatConfig) {
        if (flatConfig == null || !Files.isRegularFile(flatConfig)) {
            return "";
        }
        try {
            return new StoreConfig(ConfigFiles.read(flatConfig)).string("reconciler_cron_expression")
                    .map(String::strip).orElse("");
        } catch (IpamException e) {
            return ""; // an unreadable flat file must not stop the schedule: the default applies
        }
    }
}
