package dev.whereabouts.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ctl pending} reads the node journal only: it answers while the store is down. */
class CtlPendingTest {

    @TempDir
    Path dir;

    private void record(String network, String container, String state) throws Exception {
        Files.createDirectories(dir.resolve(network));
        Files.writeString(dir.resolve(network).resolve(container + "_eth0"), """
                {"containerId":"%s","ifName":"eth0","podRef":"ns/%s","state":"%s",
                 "entries":[{"range":"10.9.0.0/24","networkName":"","nodeName":"","ip":"10.9.0.7"}],
                 "store":{"datastore":"etcd","overlappingRanges":true,"timeoutMs":4000,"section":{"datastore":"etcd"}}}
                """.formatted(container, container, state));
    }

    @Test
    void listsQueuedReleasesAndUnknownAddsButNotHeldAddresses() throws Exception {
        record("net1", "c1", "RELEASING");
        record("net1", "c2", "HELD");
        record("net2", "c3", "ADDING");
        var r = CtlTest.ctl("pending", "--attachments-dir", dir.toString(), "-o", "json");
        assertEquals(0, r.code(), r.err());
        assertEquals(2, r.json().size(), r.out());
        assertTrue(r.out().contains("\"release pending\"") && r.out().contains("\"add unknown\""), r.out());
        assertTrue(r.out().contains("\"c1\"") && !r.out().contains("\"c2\""), r.out());
        var table = CtlTest.ctl("pending", "--attachments-dir", dir.toString());
        assertTrue(table.out().startsWith("NETWORK"), table.out());
        assertTrue(table.out().contains("10.9.0.7"), table.out());
    }

    @Test
    void listsARecordThatCannotBeReadWithItsAttachment() throws Exception {
        record("net1", "c1", "HELD");
        Files.writeString(dir.resolve("net1").resolve("c9_eth0"), ""); // what a power loss may leave
        var r = CtlTest.ctl("pending", "--attachments-dir", dir.toString(), "-o", "json");
        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.json().size(), r.out());
        assertTrue(r.out().contains("\"record unreadable\"") && r.out().contains("\"c9\""), r.out());
    }

    @Test
    void anEmptyJournalSaysSo() {
        var r = CtlTest.ctl("pending", "--attachments-dir", dir.resolve("none").toString());
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("no pending releases"), r.out());
    }
}
