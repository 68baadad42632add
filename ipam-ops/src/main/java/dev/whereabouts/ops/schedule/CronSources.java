package dev.whereabouts.ops.schedule;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

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

    private static final JsonMapper JSON = JsonMapper.builder().build();

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

    private static String flatExpression(Path flatConfig) {
        String text = readTrimmed(flatConfig);
        if (text.isEmpty()) {
            return "";
        }
        try {
            Map<?, ?> m = JSON.readValue(text, Map.class);
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if ("reconciler_cron_expression".equalsIgnoreCase(String.valueOf(e.getKey()))
                        && e.getValue() instanceof String s) {
                    return s.strip();
                }
            }
            return "";
        } catch (JacksonException e) {
            return "";
        }
    }
}
