package dev.whereabouts.store.file;

import static dev.whereabouts.store.file.Stores.alloc;
import static dev.whereabouts.store.file.Stores.ip;
import static dev.whereabouts.store.file.Stores.owner;
import static dev.whereabouts.store.file.Stores.pool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.api.StoreUnavailableException;
import dev.whereabouts.ipam.spi.CommitOutcome;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the store finds after a crash or outside damage, and how it recovers or refuses. */
class RecoveryTest {

    @TempDir
    Path dir;

    private final PoolKey key = pool("10.0.0.0/24");
    private final Reservation r = new Reservation("", ip("10.0.0.5"), owner("a"));

    /** Leaves the journal of a commit that a dead writer never started to apply. */
    private Layout crashAfterJournal(boolean poolAlreadyWritten) throws Exception {
        Layout layout = new Layout(dir.toRealPath());
        PoolFile pool = new PoolFile(key, 1, "feed", new TreeMap<>(Map.of(ip("10.0.0.5"), owner("a"))));
        List<FileOp> steps = List.of(
                new FileOp.Write(layout.reservationFile("", r.ip()), ReservationText.text(r)),
                new FileOp.Write(layout.poolFile(key), pool.text()));
        AtomicFiles.write(layout.journal(), Journal.text(layout, steps));
        if (poolAlreadyWritten) {
            AtomicFiles.write(layout.poolFile(key), pool.text());
        }
        return layout;
    }

    @Test
    void aJournalLeftByADeadWriterIsFinishedWhenTheStoreStarts() throws Exception {
        Layout layout = crashAfterJournal(true);
        try (IpamStore store = Stores.open(dir)) {
            assertEquals(Map.of(ip("10.0.0.5"), owner("a")), store.read(key).allocations());
            assertEquals(List.of(r), store.reservations());
            assertTrue(Journal.finished(layout.journal()));
        }
    }

    @Test
    void aReaderThatFindsAJournalFinishesTheCommitBeforeReading() throws Exception {
        try (IpamStore store = Stores.open(dir)) {
            assertFalse(store.read(key).exists());
            crashAfterJournal(false);
            assertEquals(new PoolVersion("1.feed"), store.read(key).version());
            assertEquals(List.of(r), store.reservations());
        }
    }

    @Test
    void tempFilesOfInterruptedWritesAreRemovedAndDataIsKept() throws Exception {
        try (IpamStore store = Stores.open(dir)) {
            FileStoreTest.committed(store.commit(key, PoolVersion.ABSENT, new PoolChange(
                    List.of(alloc("10.0.0.5", "a")), List.of(), List.of(r), List.of())));
        }
        Layout layout = new Layout(dir.toRealPath());
        Path strayPool = layout.poolFile(key).resolveSibling(Layout.TEMP_PREFIX + "1234");
        Path strayReservation = layout.reservationFile("", r.ip()).resolveSibling(Layout.TEMP_PREFIX + "99");
        Files.writeString(strayPool, "whereabouts-file-store pool 1\nrange 10.0");
        Files.writeString(strayReservation, "");
        Files.writeString(dir.resolve(Layout.TEMP_PREFIX + "journal"), "half");
        try (IpamStore store = Stores.open(dir)) {
            assertEquals(List.of(key), store.pools());
            assertEquals(List.of(r), store.reservations());
            StoreInvariants.noLeftovers(dir);
        }
    }

    @Test
    void aDamagedOrTruncatedPoolFileIsReportedAsAnIoFailureNamingTheFile() throws Exception {
        try (IpamStore store = Stores.open(dir)) {
            FileStoreTest.committed(store.commit(key, PoolVersion.ABSENT, PoolChange.put(alloc("10.0.0.5", "a"))));
            Path file = new Layout(dir.toRealPath()).poolFile(key);
            String whole = Files.readString(file);
            for (String damaged : List.of(whole.substring(0, whole.length() - 3), whole.replace("alloc 10.0.0.5", "alloc 10.0.0.500"),
                    whole.replace("pool 1", "pool 9"), "", whole.replace("range 10.0.0.0/24", "range 10.0.1.0/24"))) {
                Files.writeString(file, damaged);
                IpamException e = assertThrows(IpamException.class, () -> store.read(key));
                assertEquals(IpamException.IO_FAILURE, e.code());
                assertTrue(e.details().contains(file.toString()), e.details());
                assertThrows(IpamException.class, () -> store.commit(key, PoolVersion.ABSENT, Stores.nothing()));
            }
        }
    }

    @Test
    void aDamagedJournalStopsTheStoreInsteadOfGuessing() throws Exception {
        Files.writeString(dir.resolve("journal"), "whereabouts-file-store journal 1\nwrite ../../etc/x y\nend 1\n");
        try (IpamStore store = Stores.open(dir)) {
            IpamException e = assertThrows(IpamException.class, () -> store.read(key));
            assertEquals(IpamException.IO_FAILURE, e.code());
        }
        assertFalse(Files.exists(dir.resolveSibling("etc")));
    }

    @Test
    void aJournalCutShortByAPowerLossIsDroppedAndTheStoreWorks() throws Exception {
        String whole = "whereabouts-file-store journal 1\ndelete pools/_default/10.0.0.0-24\nend 1\n";
        for (String cut : List.of("", "\0".repeat(4096), whole.substring(0, 40), whole.substring(0, whole.length() - 6))) {
            Files.writeString(dir.resolve("journal"), cut, StandardCharsets.ISO_8859_1);
            try (IpamStore store = Stores.open(dir)) {
                assertEquals(PoolVersion.ABSENT, store.read(key).version());
                assertFalse(Files.exists(dir.resolve("journal")));
            }
        }
    }

    @Test
    void aReservationCutShortByAKilledWriterIsWrittenAgainFromTheJournal() throws Exception {
        Layout layout = crashAfterJournal(false);
        Path reservation = layout.reservationFile("", r.ip());
        Files.createDirectories(reservation.getParent());
        String whole = ReservationText.text(r);
        Files.writeString(reservation, whole.substring(0, whole.length() / 2), StandardCharsets.ISO_8859_1);
        try (IpamStore store = Stores.open(dir)) {
            assertEquals(List.of(r), store.reservations());
            assertEquals(Map.of(ip("10.0.0.5"), owner("a")), store.read(key).allocations());
        }
        StoreInvariants.everyFileParses(dir);
    }

    @Test
    void aJournalledCommitLeavesItsJournalMarkedDoneAndNoTempFile() throws Exception {
        try (IpamStore store = Stores.open(dir)) {
            FileStoreTest.committed(store.commit(key, PoolVersion.ABSENT, new PoolChange(
                    List.of(alloc("10.0.0.5", "a")), List.of(), List.of(r), List.of())));
            assertEquals(List.of(r), store.reservations());
        }
        String journal = Files.readString(dir.resolve("journal"), StandardCharsets.ISO_8859_1);
        assertTrue(journal.endsWith("\nfin 2\n"), journal);
        // a binary from before the journal was kept reads a finished one as cut short, and drops it
        assertTrue(RecordText.cutShort(journal));
        StoreInvariants.noLeftovers(dir);
    }

    /**
     * A commit's journal is written over the finished journal of the one before. Killed at any byte
     * of that write, or after it but before the file is cut to the new length, the store must see
     * the state before the commit; once cut, the state after it.
     */
    @Test
    void aJournalWrittenOverTheLastOneIsReplayedOnlyWhenWholeAndCutToItsLength() throws Exception {
        Layout layout = new Layout(dir.toRealPath());
        Reservation other = new Reservation("", ip("10.0.0.9"), owner("b"));
        PoolVersion first;
        try (IpamStore store = Stores.open(dir)) {
            // leaves a finished journal longer than the next one (two reservations against one)
            first = FileStoreTest.committed(store.commit(key, PoolVersion.ABSENT, new PoolChange(
                    List.of(alloc("10.0.0.5", "a"), alloc("10.0.0.9", "b")), List.of(), List.of(r, other), List.of())));
        }
        byte[] before = Files.readAllBytes(layout.journal());
        PoolFile after = new PoolFile(key, 2, "feed", new TreeMap<>(Map.of(ip("10.0.0.5"), owner("a"))));
        byte[] next = Journal.text(layout, List.of(new FileOp.Write(layout.poolFile(key), after.text()),
                new FileOp.Delete(layout.reservationFile("", other.ip())))).getBytes(StandardCharsets.ISO_8859_1);
        assertTrue(next.length < before.length, "the test needs a shorter journal to write over a longer one");
        for (int cut = 0; cut <= next.length; cut++) {
            byte[] torn = before.clone();
            System.arraycopy(next, 0, torn, 0, cut);
            Files.write(layout.journal(), torn);
            try (IpamStore store = Stores.open(dir)) {
                assertEquals(first, store.read(key).version(), "cut at " + cut);
                assertEquals(Set.of(r, other), Set.copyOf(store.reservations()), "cut at " + cut);
            }
            StoreInvariants.noLeftovers(dir);
        }
        Files.write(layout.journal(), next);
        try (IpamStore store = Stores.open(dir)) {
            assertEquals(new PoolVersion("2.feed"), store.read(key).version());
            assertEquals(List.of(r), store.reservations());
        }
        StoreInvariants.noLeftovers(dir);
    }

    @Test
    void aDataDirectoryThatCannotBeCreatedIsUnavailable() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        try (IpamStore store = Stores.open(file.resolve("data"))) {
            StoreUnavailableException e = assertThrows(StoreUnavailableException.class, store::checkAvailable);
            assertEquals(IpamException.TRY_AGAIN_LATER, e.code());
        }
    }

    @Test
    void closingOneClientLeavesTheOthersWorking() {
        IpamStore a = Stores.open(dir);
        IpamStore b = Stores.open(dir);
        FileStoreTest.committed(a.commit(key, PoolVersion.ABSENT, PoolChange.put(alloc("10.0.0.1", "a"))));
        a.close();
        a.close();
        assertThrows(IllegalStateException.class, () -> a.read(key));
        PoolVersion v = b.read(key).version();
        FileStoreTest.committed(b.commit(key, v, PoolChange.put(alloc("10.0.0.2", "b"))));
        b.close();
    }

    @Test
    void aLockHeldTooLongMakesTheStoreUnavailableInsteadOfHanging() throws Exception {
        StoreConfig config = new StoreConfig(Map.of("file", Map.of("data_dir", dir.toString(), "lock_timeout_ms", 200)));
        try (IpamStore store = new FileStoreProvider().open(config)) {
            store.checkAvailable();
            DirLock lock = DirLock.of(dir.toRealPath().resolve("lock"));
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread holder = Thread.ofPlatform().start(() -> {
                try {
                    lock.call(Duration.ofSeconds(5), () -> {
                        held.countDown();
                        awaitQuietly(release);
                        return null;
                    });
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            held.await();
            try {
                StoreUnavailableException e = assertThrows(StoreUnavailableException.class,
                        () -> store.commit(key, PoolVersion.ABSENT, Stores.nothing()));
                assertTrue(e.details().contains("lock"), e.details());
            } finally {
                release.countDown();
                holder.join();
            }
            assertInstanceOf(CommitOutcome.Committed.class, store.commit(key, PoolVersion.ABSENT, Stores.nothing()));
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
