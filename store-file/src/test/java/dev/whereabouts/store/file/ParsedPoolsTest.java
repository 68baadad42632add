package dev.whereabouts.store.file;

import static dev.whereabouts.store.file.Stores.alloc;
import static dev.whereabouts.store.file.Stores.ip;
import static dev.whereabouts.store.file.Stores.owner;
import static dev.whereabouts.store.file.Stores.pool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.spi.CommitOutcome;
import dev.whereabouts.ipam.spi.IpamStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pool's parse is reused only for the very text it came from. */
class ParsedPoolsTest {

    @TempDir
    Path dir;

    private final PoolKey key = pool("10.0.0.0/24");

    @Test
    void theSameTextGivesTheSameParseAndAnyOtherTextIsParsedAgain() {
        ParsedPools parsed = new ParsedPools();
        Path file = dir.resolve("p");
        String one = new PoolFile(key, 1, "feed", new TreeMap<>(Map.of(ip("10.0.0.5"), owner("a")))).text();
        String two = new PoolFile(key, 2, "feed", new TreeMap<>()).text();
        PoolFile first = parsed.parse(file, one);
        assertSame(first, parsed.parse(file, new String(one.toCharArray())));
        PoolFile other = parsed.parse(file, two);
        assertEquals(new PoolVersion("2.feed"), other.version());
        assertNotSame(first, parsed.parse(file, one));
        assertThrows(IllegalArgumentException.class, () -> parsed.parse(file, one.substring(0, one.length() - 2)));
    }

    @Test
    void aPoolFileChangedBehindTheStoresBackIsReadAsItIsNow() throws Exception {
        try (IpamStore store = Stores.open(dir)) {
            PoolVersion v1 = FileStoreTest.committed(store.commit(key, PoolVersion.ABSENT,
                    PoolChange.put(alloc("10.0.0.5", "a"))));
            Path file = new Layout(dir.toRealPath()).poolFile(key);
            // what another process's commit leaves: the next generation, another address
            Files.writeString(file, new PoolFile(key, 2, v1.token().substring(2),
                    new TreeMap<>(Map.of(ip("10.0.0.6"), owner("b")))).text());
            assertEquals(Map.of(ip("10.0.0.6"), owner("b")), store.read(key).allocations());
            assertInstanceOf(CommitOutcome.Conflict.class, store.commit(key, v1, PoolChange.put(alloc("10.0.0.7", "c"))));
        }
    }
}
