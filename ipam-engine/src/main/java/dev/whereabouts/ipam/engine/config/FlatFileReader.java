package dev.whereabouts.ipam.engine.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Reads flat files, remembering each parsed file with the identity of the version read (device,
 * inode, size, modification and change times), so a daemon re-reads a file only when it changed.
 *
 * <p>A version is remembered only when nothing changed it while it was read and its change time lies
 * a few seconds in the past: a file rewritten in place within one timestamp tick keeps its times, so
 * only a file whose tick has passed is known to be whole (the "racy" rule of git's index).
 */
final class FlatFileReader {

    private static final String IDENTITY = "unix:dev,ino,size,lastModifiedTime,ctime";
    private static final Duration SETTLED = Duration.ofSeconds(2);

    /** A parsed flat file; {@code version} is {@code null} when it may not be remembered. */
    record Read(Map<String, Object> version, Map<String, Object> content) {}

    private record Remembered(Map<String, Object> version, Map<String, Object> content) {}

    private final BoundedCache<Path, Remembered> files = new BoundedCache<>(16);

    /** The file's content, as {@link FlatFile#read} would parse it now. */
    Read read(Path path) {
        Map<String, Object> before = identity(path);
        if (before != null) {
            Remembered r = files.get(path);
            if (r != null && r.version().equals(before)) {
                return new Read(before, r.content());
            }
        }
        Map<String, Object> content = FlatFile.read(path);
        if (before == null || !before.equals(identity(path)) || !settled(before)) {
            return new Read(null, content);
        }
        files.put(path, new Remembered(before, content));
        return new Read(before, content);
    }

    private static Map<String, Object> identity(Path path) {
        try {
            return Map.copyOf(Files.readAttributes(path, IDENTITY));
        } catch (IOException | RuntimeException e) {
            return null; // not cacheable; the read itself reports any real problem
        }
    }

    private static boolean settled(Map<String, Object> identity) {
        return identity.get("ctime") instanceof FileTime ctime
                && ctime.toInstant().isBefore(Instant.now().minus(SETTLED));
    }
}
