package dev.whereabouts.cni.launcher.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A daemon's start removes the warm-up directories of daemons that died, and only those. */
class WarmupDirsTest {

    @TempDir
    Path tmp;

    @Test
    void removesTheDirectoriesOfDeadProcessesOnly() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path dead = Files.createDirectories(tmp.resolve(WarmupDirs.PREFIX + gone.pid() + "-123/store/pools"));
        Files.writeString(dead.resolve("10.255.0.0-16"), "a pool file a killed warm-up left");
        Path ours = Files.createDirectory(tmp.resolve(WarmupDirs.PREFIX + ProcessHandle.current().pid() + "-456"));
        // an earlier version's names carry no pid: removed once they are over an hour old
        Path recent = Files.createDirectory(tmp.resolve("whereabouts-warmup789"));
        Path stale = Files.createDirectory(tmp.resolve("whereabouts-warmup790"));
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Path other = Files.createDirectory(tmp.resolve("unrelated-" + gone.pid() + "-1"));

        assertEquals(2, WarmupDirs.sweep(tmp));
        assertFalse(Files.exists(stale));
        assertFalse(Files.exists(tmp.resolve(WarmupDirs.PREFIX + gone.pid() + "-123")));
        assertTrue(Files.isDirectory(ours), "a live process's directory stays");
        assertTrue(Files.isDirectory(recent));
        assertTrue(Files.isDirectory(other));
    }

    @Test
    void createsADirectoryNamedForThisProcess() throws IOException {
        Path dir = WarmupDirs.create();
        try {
            assertTrue(dir.getFileName().toString().startsWith(WarmupDirs.PREFIX + ProcessHandle.current().pid() + "-"));
        } finally {
            WarmupDirs.delete(dir);
        }
        assertFalse(Files.exists(dir));
    }
}
