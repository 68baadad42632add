package dev.whereabouts.store.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.api.StoreUnavailableException;
import dev.whereabouts.ipam.spi.CommitOutcome;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several JVMs on one data directory: racing writers, and a process that holds the lock. */
class MultiProcessTest {

    private static final int CHILDREN = 8;
    private static final int PER_CHILD = 20;

    @TempDir
    Path tmp;

    @Test
    void concurrentProcessesKeepEveryWriteAndNeverShareAnAddress() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("data"));
        List<Process> children = new ArrayList<>();
        for (int c = 0; c < CHILDREN; c++) {
            children.add(ChildJvm.start(CasChild.class, tmp, "cas-" + c, dir.toString(), Integer.toString(c),
                    Integer.toString(PER_CHILD)));
        }
        Map<IpAddress, String> printed = new HashMap<>();
        for (int c = 0; c < CHILDREN; c++) {
            Process p = children.get(c);
            assertTrue(p.waitFor(180, TimeUnit.SECONDS), "child " + c + " hung");
            Path err = tmp.resolve("cas-" + c + ".err");
            assertEquals(0, p.exitValue(), () -> "child failed: " + read(err));
            List<String> lines = Files.readAllLines(ChildJvm.stdout(tmp, "cas-" + c));
            assertEquals(PER_CHILD, lines.size(), "child " + c + " output: " + lines);
            for (String line : lines) {
                String[] parts = line.split(" ");
                String before = printed.put(IpAddress.parse(parts[0]), parts[1]);
                assertEquals(null, before, parts[0] + " was handed to " + before + " and " + parts[1]);
            }
        }
        assertEquals(CHILDREN * PER_CHILD, printed.size());

        try (IpamStore store = Stores.open(dir)) {
            Map<IpAddress, String> stored = new HashMap<>();
            for (PoolKey key : List.of(CasChild.WIDE, CasChild.NARROW)) {
                store.read(key).allocations().forEach((ip, owner) ->
                        assertEquals(null, stored.put(ip, owner.containerId()), ip + " is in both pools"));
            }
            assertEquals(printed, stored, "the pools must hold exactly the addresses the children were given");
            StoreInvariants.noAddressHasTwoOwners(store);
        }
        StoreInvariants.everyFileParses(dir);
    }

    @Test
    void anotherProcessHoldingTheLockTimesCallsOutAndItsDeathReleasesTheLock() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("data"));
        StoreConfig config = new StoreConfig(Map.of("file", Map.of("data_dir", dir.toString(), "lock_timeout_ms", 300)));
        try (IpamStore store = new FileStoreProvider().open(config)) {
            store.checkAvailable();
            Process holder = ChildJvm.start(LockHolderChild.class, tmp, "holder", dir.toString());
            try {
                Path out = ChildJvm.stdout(tmp, "holder");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!Files.readString(out).contains("locked")) {
                    assertTrue(holder.isAlive() && System.nanoTime() < deadline, "lock holder did not start");
                    Thread.sleep(10);
                }
                assertThrows(StoreUnavailableException.class, store::checkAvailable);
                assertThrows(StoreUnavailableException.class,
                        () -> store.commit(CasChild.WIDE, PoolVersion.ABSENT, Stores.nothing()));
            } finally {
                holder.destroyForcibly();
                assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
            }
            store.checkAvailable();
            assertInstanceOf(CommitOutcome.Committed.class, store.commit(CasChild.WIDE, PoolVersion.ABSENT, Stores.nothing()));
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return "(no stderr)";
        }
    }
}
