package dev.whereabouts.store.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.spi.IpamStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a committing child JVM with SIGKILL at random moments and checks, after each kill, that the
 * store opens, every file parses, no commit was torn and no acknowledged commit was lost.
 */
class CrashSafetyTest {

    private static final int KILLS = 20;

    @TempDir
    Path tmp;

    @Test
    void sigkillAtRandomMomentsNeverTearsACommitOrLeavesAnAddressWithTwoOwners() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("data"));
        Random random = new Random(4242);
        int interrupted = 0;
        int acknowledged = 0;
        for (int round = 0; round < KILLS; round++) {
            String name = "crash-" + round;
            Process child = ChildJvm.start(CrashChild.class, tmp, name, dir.toString(), Long.toString(random.nextLong()));
            try {
                awaitReady(child, ChildJvm.stdout(tmp, name));
                Thread.sleep(20 + random.nextInt(300));
            } finally {
                child.destroyForcibly();
                assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child did not die");
            }
            interrupted += !Journal.finished(dir.resolve("journal")) || hasTemps(dir) ? 1 : 0;

            StoreInvariants.everyFileParsesOrIsReplayed(dir);
            try (IpamStore store = Stores.open(dir)) {
                store.checkAvailable();
                StoreInvariants.noLeftovers(dir);
                StoreInvariants.noAddressHasTwoOwners(store);
                acknowledged += acknowledgedCommitsSurvived(store, ChildJvm.stdout(tmp, name));
            }
            StoreInvariants.everyFileParses(dir);
        }
        assertTrue(acknowledged > 0, "the children never committed anything, so nothing was tested");
        System.err.println("crash test: " + acknowledged + " acknowledged commits; " + interrupted + " of " + KILLS
                + " kills left a journal or temp file behind");
    }

    /** The last version the child was told about is, per pool, at or below what the store holds now. */
    private static int acknowledgedCommitsSurvived(IpamStore store, Path childOut) throws Exception {
        Map<Integer, String> last = new HashMap<>();
        int acknowledged = 0;
        String[] lines = Files.readString(childOut).split("\n", -1);
        // the last element is whatever followed the final newline: a line the kill may have cut short
        for (int i = 0; i < lines.length - 1; i++) {
            String[] parts = lines[i].split(" ");
            if (parts.length == 3 && parts[0].equals("committed")) {
                last.put(Integer.parseInt(parts[1]), parts[2]);
                acknowledged++;
            }
        }
        last.forEach((pool, token) -> {
            String now = store.read(CrashChild.POOLS.get(pool)).version().token();
            assertEquals(incarnation(token), incarnation(now), "pool " + pool + " was re-created");
            assertTrue(generation(now) >= generation(token), "pool " + pool + " lost acknowledged commit " + token
                    + ", it is at " + now);
        });
        return acknowledged;
    }

    private static long generation(String token) {
        return Long.parseLong(token.substring(0, token.indexOf('.')));
    }

    private static String incarnation(String token) {
        return token.substring(token.indexOf('.') + 1);
    }

    private static boolean hasTemps(Path dir) throws Exception {
        try (var all = Files.walk(dir)) {
            return all.anyMatch(p -> p.getFileName().toString().startsWith(Layout.TEMP_PREFIX));
        }
    }

    private static void awaitReady(Process child, Path out) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(out) || !Files.readString(out).contains("ready")) {
            if (!child.isAlive()) {
                throw new AssertionError("child exited early with " + child.exitValue() + ": "
                        + Files.readString(out.resolveSibling(out.getFileName().toString().replace(".out", ".err"))));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("child never became ready");
            }
            Thread.sleep(10);
        }
    }
}
