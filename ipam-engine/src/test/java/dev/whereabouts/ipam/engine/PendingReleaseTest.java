package dev.whereabouts.ipam.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.AttachmentId;
import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.engine.journal.AttachmentJournal;
import dev.whereabouts.ipam.engine.journal.JournalRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Releases the store could not take are queued, not forgotten; an ADD's intent precedes its commit. */
class PendingReleaseTest extends EngineFixture {

    private static final PoolKey V4 = PoolKey.of(Cidr.parse("10.0.0.0/24"), "");
    private static final AttachmentId A = new AttachmentId("a", "net1");

    private IpamConfig config() {
        return Conf.load(ipam, conf().range("10.0.0.0/24"));
    }

    private JournalRecord.State state() {
        return new AttachmentJournal(attachments).read("net1", A).orElseThrow().state();
    }

    private void queueOneReleaseDuringAnOutage() {
        IpamConfig c = config();
        ipam.add(c, IpamTest.owner("a"));
        store().available(false);
        assertInstanceOf(Release.Queued.class, ipam.release(c, A));
        store().available(true);
    }

    @Test
    void aDelDuringAnOutageIsQueuedAndRetriedOnceTheStoreIsBack() {
        IpamConfig c = config();
        ipam.add(c, IpamTest.owner("a"));
        store().available(false);
        Release r = ipam.release(c, A);
        assertInstanceOf(Release.Queued.class, r);
        assertEquals(IpamException.TRY_AGAIN_LATER, ((Release.Queued) r).cause().code());
        assertEquals(JournalRecord.State.RELEASING, state());
        assertEquals(1, ipam.retryPendingReleases(attachments), "still down: still pending");
        store().available(true);
        assertEquals(Map.of(IpAddress.parse("10.0.0.1"), IpamTest.owner("a")), store().allocations(V4));
        assertEquals(0, ipam.retryPendingReleases(attachments));
        assertEquals(Map.of(), store().allocations(V4));
        assertTrue(store().reservations().isEmpty());
        assertFalse(Files.exists(attachments.resolve("net1/a_net1")));
    }

    @Test
    void theReleasesAnOutageQueuedLandTogetherInAFewWrites() {
        IpamConfig c = config();
        int pods = 40;
        for (int i = 0; i < pods; i++) {
            ipam.add(c, IpamTest.owner("p" + i));
        }
        store().available(false);
        for (int i = 0; i < pods; i++) {
            assertInstanceOf(Release.Queued.class, ipam.release(c, new AttachmentId("p" + i, "net1")));
        }
        store().available(true);
        store().commitMillis = 20;
        long before = store().commits.get();
        assertEquals(0, ipam.retryPendingReleases(attachments));
        assertEquals(Map.of(), store().allocations(V4));
        long writes = store().commits.get() - before;
        assertTrue(writes <= pods / 2, "the lanes merged the retried releases: " + writes + " writes for " + pods);
        assertEquals(List.of(), new AttachmentJournal(attachments).list("net1"), "nothing left pending");
    }

    @Test
    void aPendingReleaseSurvivesAnotherEngineAndIsRetriedFromTheJournalAlone() {
        queueOneReleaseDuringAnOutage();
        try (Ipam other = Conf.engine()) {
            assertEquals(0, other.retryPendingReleases(attachments));
        }
        assertEquals(Map.of(), store().allocations(V4));
    }

    @Test
    void gcReleasesAPendingReleaseEvenIfTheRuntimeStillListsIt() {
        queueOneReleaseDuringAnOutage();
        ipam.gc(Conf.load(ipam, conf().range("10.0.0.0/24")
                .top("cni.dev/valid-attachments", List.of(Map.of("containerID", "a", "ifname", "net1")))));
        assertEquals(Map.of(), store().allocations(V4));
    }

    @Test
    void anAddWhoseAnswerWasLostIsJournalledAndARetryGetsTheSameAddress() {
        IpamConfig c = config();
        store().loseNextAnswer();
        IpamException e = assertThrows(IpamException.class, () -> ipam.add(c, IpamTest.owner("a")));
        assertEquals(IpamException.TRY_AGAIN_LATER, e.code());
        assertEquals(JournalRecord.State.ADDING, state(), "the intent stays: the commit may have landed");
        assertEquals(Map.of(IpAddress.parse("10.0.0.1"), IpamTest.owner("a")), store().allocations(V4));
        String json = ipam.add(c, IpamTest.owner("a")).toJson("1.1.0");
        assertTrue(json.contains("\"10.0.0.1/24\""), json);
        assertEquals(JournalRecord.State.HELD, state());
    }

    @Test
    void gcReclaimsAnAddWhoseAnswerWasLost() {
        IpamConfig c = config();
        store().loseNextAnswer();
        assertThrows(IpamException.class, () -> ipam.add(c, IpamTest.owner("a")));
        ipam.gc(Conf.load(ipam, conf().range("10.0.0.0/24")
                .top("cni.dev/valid-attachments", List.of())));
        assertEquals(Map.of(), store().allocations(V4));
        assertFalse(Files.exists(attachments.resolve("net1/a_net1")));
    }

    @Test
    void anAddThatFailedCleanlyLeavesNoIntent() {
        IpamConfig c = Conf.load(ipam, conf().range("10.0.0.0/30"));
        ipam.add(c, IpamTest.owner("x"));
        ipam.add(c, IpamTest.owner("y"));
        IpamException e = assertThrows(IpamException.class, () -> ipam.add(c, IpamTest.owner("a")));
        assertTrue(e.code() != IpamException.TRY_AGAIN_LATER, e.toString());
        assertFalse(Files.exists(attachments.resolve("net1/a_net1")));
    }

    @Test
    void aReleaseTheJournalCannotRecordIsReportedAsUnrecorded() throws IOException {
        Path plain = Files.writeString(attachments.resolve("plain-file"), "x");
        IpamConfig c = Conf.load(ipam, Conf.on(backend, plain.resolve("below")).range("10.0.0.0/24"));
        store().available(false);
        assertInstanceOf(Release.Unrecorded.class, ipam.release(c, A));
    }

    @Test
    void litterOfAKilledWriterIsSweptOnlyWhenOld() throws IOException {
        ipam.add(config(), IpamTest.owner("a"));
        Path old = Files.writeString(attachments.resolve("net1/.b_net1.tmp"), "{");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minusSeconds(60)));
        Path fresh = Files.writeString(attachments.resolve("net1/.c_net1.tmp"), "{");
        assertEquals(1, new AttachmentJournal(attachments).sweepLitter(Duration.ofSeconds(10)));
        assertFalse(Files.exists(old));
        assertTrue(Files.exists(fresh));
        assertTrue(Files.exists(attachments.resolve("net1/a_net1")));
    }
}
