package dev.whereabouts.ipam.engine.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.AttachmentId;
import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.api.PoolKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How records reach the disk and come back, including the files a crash or a power loss leaves. */
class AttachmentJournalTest {

    @TempDir
    Path dir;

    private static final AttachmentId A = new AttachmentId("a", "net1");
    private static final PoolKey POOL = PoolKey.of(Cidr.parse("10.0.0.0/24"), "net");

    private AttachmentJournal journal() {
        return new AttachmentJournal(dir);
    }

    private static JournalRecord adding(AttachmentId a) {
        return new JournalRecord(a, "ns/" + a.containerId(), List.of(new JournalRecord.Entry(POOL, null)),
                JournalRecord.State.ADDING, JournalRecord.StoreRef.NONE);
    }

    private static JournalRecord held(AttachmentId a, String ip) {
        return new JournalRecord(a, "ns/" + a.containerId(), List.of(new JournalRecord.Entry(POOL, IpAddress.parse(ip))));
    }

    private Path file(AttachmentId a) {
        return dir.resolve("net").resolve(a.containerId() + "_" + a.ifName());
    }

    @Test
    void anAddsTwoWritesKeepOneFileAndLeaveNoTemporaryFile() throws IOException {
        journal().create("net", adding(A));
        Object inode = Files.readAttributes(file(A), "unix:ino").get("ino");
        journal().settle("net", held(A, "10.0.0.7"));
        assertEquals(Optional.of(held(A, "10.0.0.7")), journal().read("net", A));
        assertEquals(inode, Files.readAttributes(file(A), "unix:ino").get("ino"), "settled in place, not renamed over");
        try (var files = Files.list(file(A).getParent())) {
            assertEquals(List.of(file(A)), files.toList());
        }
    }

    @Test
    void settlingAShorterRecordPadsItToTheOldLength() throws IOException {
        JournalRecord longer = new JournalRecord(A, "ns/" + "p".repeat(200), List.of(new JournalRecord.Entry(POOL, null)),
                JournalRecord.State.ADDING, JournalRecord.StoreRef.NONE);
        journal().write("net", longer);
        long size = Files.size(file(A));
        journal().settle("net", held(A, "10.0.0.9"));
        assertEquals(size, Files.size(file(A)));
        assertEquals(Optional.of(held(A, "10.0.0.9")), journal().read("net", A));
    }

    @Test
    void aRecordLargerThanAPageIsReplacedWhole() throws IOException {
        List<JournalRecord.Entry> many = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            many.add(new JournalRecord.Entry(PoolKey.of(Cidr.parse("10." + i + ".0.0/16"), "net"), null));
        }
        JournalRecord big = new JournalRecord(A, "ns/a", many, JournalRecord.State.ADDING, JournalRecord.StoreRef.NONE);
        journal().create("net", big);
        assertTrue(Files.size(file(A)) > RecordFiles.PAGE);
        assertEquals(Optional.of(big), journal().read("net", A));
        JournalRecord settled = new JournalRecord(A, "ns/a", many);
        journal().settle("net", settled);
        assertEquals(Optional.of(settled), journal().read("net", A));
    }

    @Test
    void createReplacesARecordThatExistsAfterAll() {
        journal().write("net", held(A, "10.0.0.1"));
        journal().create("net", adding(A));
        assertEquals(Optional.of(adding(A)), journal().read("net", A));
    }

    @Test
    void settleWritesARecordThatVanishedMeanwhile() {
        journal().settle("net", held(A, "10.0.0.3"));
        assertEquals(Optional.of(held(A, "10.0.0.3")), journal().read("net", A));
    }

    @Test
    void anEmptyFileIsNoRecordToReadButListsAsUnreadable() throws IOException {
        Files.createDirectories(file(A).getParent());
        Files.createFile(file(A)); // a create killed between its open and its write
        assertEquals(Optional.empty(), journal().read("net", A));
        var listing = journal().listing("net");
        assertEquals(List.of(), listing.records());
        assertEquals(List.of(A), listing.unreadable());
    }

    @Test
    void aDamagedRecordIsReportedWithItsAttachmentAndTheOthersStillList() throws IOException {
        AttachmentId b = new AttachmentId("b_x", "eth0");
        journal().write("net", held(A, "10.0.0.1"));
        Files.writeString(file(b), "{\"containerId\": \"b_x\", \"ifN"); // torn by a power loss
        Files.writeString(dir.resolve("net").resolve("notes"), "[1, 2]"); // no attachment's name
        assertEquals(IpamException.DECODING_FAILURE,
                assertThrows(IpamException.class, () -> journal().read("net", b)).code());
        var listing = journal().listing("net");
        assertEquals(List.of(held(A, "10.0.0.1")), listing.records());
        assertEquals(List.of(b), listing.unreadable());
        assertEquals(List.of(held(A, "10.0.0.1")), journal().list("net"));
    }

    /**
     * A refused ADD tidies its network's directory away when it is empty, while another ADD may be
     * writing that network's first record: the record must land all the same.
     */
    @Test
    void aFirstRecordLandsWhileARefusedAddTidiesTheEmptyDirectoryAway() throws Exception {
        AttachmentId refused = new AttachmentId("refused", "net1");
        try (var threads = Executors.newFixedThreadPool(2)) {
            for (int round = 0; round < 300; round++) {
                String network = "fresh-" + round;
                AttachmentId first = new AttachmentId("first-" + round, "net1");
                var start = new CyclicBarrier(2);
                var created = new AtomicBoolean();
                var tidy = threads.submit(() -> {
                    start.await();
                    while (!created.get()) { // tidying right up to the moment the record is there
                        journal().forgetIntent(network, refused);
                    }
                    return null;
                });
                var create = threads.submit(() -> {
                    start.await();
                    try {
                        journal().create(network, adding(first));
                    } finally {
                        created.set(true);
                    }
                    return null;
                });
                create.get(); // an ExecutionException here carries the failed write
                tidy.get();
                assertEquals(Optional.of(adding(first)), journal().read(network, first));
            }
        }
    }
}
