package dev.whereabouts.store.file;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last text of each pool file a store read or wrote, with its parse.
 *
 * <p>Why: every commit reads its pool file under the lock to check the version it started from, and
 * parsing that text was most of the read (3.5 % of a file-store daemon's CPU per call on a pool of
 * a few addresses, and it grows with the pool). Mostly the text is the one this store wrote last, and
 * the same bytes parse to the same pool, so comparing the two strings (a memcmp) replaces the parse.
 * Anything else that wrote the file, another process or an operator, changed the text, which is
 * then parsed as before.
 */
final class ParsedPools {

    // A node's store holds a handful of pools; past this many, start over rather than track use.
    private static final int MAX_FILES = 256;

    private record Parsed(String text, PoolFile pool) {}

    private final Map<Path, Parsed> byFile = new ConcurrentHashMap<>();

    /**
     * The pool {@code text} holds.
     *
     * @throws IllegalArgumentException when it does not parse
     */
    PoolFile parse(Path file, String text) {
        Parsed last = byFile.get(file);
        if (last != null && last.text().equals(text)) {
            return last.pool();
        }
        PoolFile pool = PoolFile.parse(text);
        remember(file, text, pool);
        return pool;
    }

    /** Notes that {@code file} now holds {@code text}, which is {@code pool}. */
    void remember(Path file, String text, PoolFile pool) {
        if (byFile.size() >= MAX_FILES && !byFile.containsKey(file)) {
            byFile.clear();
        }
        byFile.put(file, new Parsed(text, pool));
    }
}
