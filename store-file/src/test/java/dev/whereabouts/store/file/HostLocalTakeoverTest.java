package dev.whereabouts.store.file;

import static dev.whereabouts.store.file.Stores.alloc;
import static dev.whereabouts.store.file.Stores.ip;
import static dev.whereabouts.store.file.Stores.pool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolSnapshot;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.spi.CommitOutcome;
import dev.whereabouts.ipam.spi.IpamStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A data directory that host-local used: its addresses stay taken until their owner's DEL. */
class HostLocalTakeoverTest {

    @TempDir
    Path dir;

    /** host-local's layout for one network, byte for byte as its disk backend writes it. */
    void hostLocal() throws Exception {
        Files.writeString(dir.resolve("10.0.0.2"), "c-old\r\neth0");
        Files.writeString(dir.resolve("10.0.0.3"), "c-older"); // before CNI 0.7: the container id only
        Files.writeString(dir.resolve("fd00::2"), "c-old\r\neth0");
        Files.writeString(dir.resolve("192.168.9.9"), "c-other\r\neth0"); // another range: not this pool's
        Files.writeString(dir.resolve("last_reserved_ip.0"), "10.0.0.3");
        Files.writeString(dir.resolve("last_reserved_ip.1"), "fd00::2");
        Files.writeString(dir.resolve("lock"), "");
    }

    @Test
    void hostLocalAddressesReadAsAllocationsOfThePoolThatHoldsThem() throws Exception {
        hostLocal();
        try (IpamStore store = Stores.open(dir)) {
            PoolSnapshot v4 = store.read(pool("10.0.0.0/24"));
            assertEquals(PoolVersion.ABSENT, v4.version());
            assertEquals(Map.of(ip("10.0.0.2"), new Owner("c-old", "eth0", ""), ip("10.0.0.3"),
                    new Owner("c-older", "", "")), v4.allocations());
            assertEquals(Map.of(ip("fd00::2"), new Owner("c-old", "eth0", "")),
                    store.read(pool("fd00::/64")).allocations());
        }
    }

    @Test
    void releasingAHostLocalAddressDeletesItsFileAndBumpsThePool() throws Exception {
        hostLocal();
        PoolKey key = pool("10.0.0.0/24");
        try (IpamStore store = Stores.open(dir)) {
            PoolVersion v1 = committed(store.commit(key, PoolVersion.ABSENT, PoolChange.put(alloc("10.0.0.4", "new"))));
            assertEquals(3, store.read(key).allocations().size());
            PoolVersion v2 = committed(store.commit(key, v1, PoolChange.remove(ip("10.0.0.2"))));
            assertFalse(Files.exists(dir.resolve("10.0.0.2")));
            assertTrue(Files.exists(dir.resolve("fd00::2")), "the other family's file is another pool's");
            PoolSnapshot after = store.read(key);
            assertEquals(v2, after.version());
            assertEquals(2, after.allocations().size());
        }
    }

    @Test
    void aPutOnAnAddressHostLocalHoldsConflicts() throws Exception {
        hostLocal();
        PoolKey key = pool("10.0.0.0/24");
        try (IpamStore store = Stores.open(dir)) {
            assertInstanceOf(CommitOutcome.Conflict.class,
                    store.commit(key, PoolVersion.ABSENT, PoolChange.put(alloc("10.0.0.2", "someone"))));
            assertEquals("c-old\r\neth0", Files.readString(dir.resolve("10.0.0.2")));
        }
    }

    static PoolVersion committed(CommitOutcome out) {
        return assertInstanceOf(CommitOutcome.Committed.class, out).version();
    }
}
