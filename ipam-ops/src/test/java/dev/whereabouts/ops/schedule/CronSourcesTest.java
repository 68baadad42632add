package dev.whereabouts.ops.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CronSourcesTest {

    @TempDir
    Path dir;

    @Test
    void configMapThenFlatFileThenDefault() throws Exception {
        Path map = dir.resolve("cron-expression");
        Path flat = dir.resolve("whereabouts.conf");
        var source = CronSources.fromFiles(map, flat);
        assertEquals("30 4 * * *", source.get());
        Files.writeString(flat, "{\"datastore\":\"kubernetes\",\"Reconciler_Cron_Expression\":\"0 3 * * *\"}");
        assertEquals("0 3 * * *", source.get());
        Files.writeString(map, "*/5 * * * *\n");
        assertEquals("*/5 * * * *", source.get());
        Files.writeString(map, "   ");
        assertEquals("0 3 * * *", source.get());
        Files.writeString(flat, "{broken");
        assertEquals("30 4 * * *", source.get());
    }
}
