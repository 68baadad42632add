package dev.whereabouts.ipam.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.AttachmentId;
import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The node-local attachment journal and CNI GC. */
class GcJournalTest extends EngineFixture {

    @Override
    Conf conf() {
        return super.conf().range("10.0.0.0/24", "fd00::/64");
    }

    private IpamConfig gcConfig(List<AttachmentId> valid) {
        return Conf.load(ipam, conf().top("cni.dev/valid-attachments",
                valid.stream().map(a -> Map.of("containerID", a.containerId(), "ifname", a.ifName())).toList()));
    }

    @Test
    void addWritesARecordAndDelRemovesIt() throws IOException {
        IpamConfig c = Conf.load(ipam, conf());
        ipam.add(c, IpamTest.owner("a"));
        Path record = attachments.resolve("net1").resolve("a_net1");
        assertTrue(Files.isRegularFile(record));
        String text = Files.readString(record);
        assertTrue(text.contains("\"10.0.0.1\"") && text.contains("\"fd00::1\"") && text.contains("\"ns/a\""), text);
        try (var files = Files.list(record.getParent())) {
            assertEquals(List.of(record), files.toList(), "no temporary file is left behind");
        }
        ipam.del(c, new AttachmentId("a", "net1"));
        assertFalse(Files.exists(record));
    }

    @Test
    void gcReleasesOnlyAttachmentsMissingFromTheValidList() {
        IpamConfig c = Conf.load(ipam, conf());
        ipam.add(c, IpamTest.owner("a"));
        ipam.add(c, IpamTest.owner("b"));
        ipam.add(c, IpamTest.owner("c"));
        ipam.gc(gcConfig(List.of(new AttachmentId("b", "net1"))));
        PoolKey v4 = PoolKey.of(Cidr.parse("10.0.0.0/24"), "");
        assertEquals(Map.of(IpAddress.parse("10.0.0.2"), IpamTest.owner("b")), store().allocations(v4));
        assertEquals(2, store().reservations().size());
        assertFalse(Files.exists(attachments.resolve("net1/a_net1")));
        assertTrue(Files.exists(attachments.resolve("net1/b_net1")));
        ipam.gc(gcConfig(List.of()));
        assertEquals(Map.of(), store().allocations(v4));
        assertTrue(store().reservations().isEmpty());
    }

    @Test
    void gcFindsPoolsEvenAfterTheConfigurationChanged() {
        ipam.add(Conf.load(ipam, conf()), IpamTest.owner("a"));
        ipam.gc(Conf.load(ipam, super.conf().range("10.7.0.0/24")));
        assertEquals(Map.of(), store().allocations(PoolKey.of(Cidr.parse("10.0.0.0/24"), "")));
    }

    @Test
    void gcKeepsGoingAndReportsErrorsAtTheEnd() {
        IpamConfig c = Conf.load(ipam, conf());
        ipam.add(c, IpamTest.owner("a"));
        ipam.add(c, IpamTest.owner("b"));
        store().available(false);
        IpamException e = assertThrows(IpamException.class, () -> ipam.gc(gcConfig(List.of())));
        assertEquals(IpamException.TRY_AGAIN_LATER, e.code());
        assertTrue(e.details().contains("a/net1") || e.getMessage().contains("GC"), e.details());
        store().available(true);
        assertTrue(Files.exists(attachments.resolve("net1/a_net1")), "a failed release keeps its record for the next GC");
        ipam.gc(gcConfig(List.of()));
        assertEquals(Map.of(), store().allocations(PoolKey.of(Cidr.parse("10.0.0.0/24"), "")));
    }

    @Test
    void idsThatCannotNameAFileAreRejected() {
        IpamConfig c = Conf.load(ipam, conf());
        IpamException e = assertThrows(IpamException.class, () -> ipam.add(c, new Owner("../x", "net1", "")));
        assertEquals(IpamException.INVALID_ENVIRONMENT, e.code());
        assertTrue(e.details().contains("CNI_CONTAINERID"));
        assertEquals(IpamException.INVALID_ENVIRONMENT,
                assertThrows(IpamException.class, () -> ipam.add(c, new Owner("ok", "a b", ""))).code());
    }

    @Test
    void gcWithNoJournalIsANoOp() {
        ipam.gc(gcConfig(List.of()));
        assertFalse(Files.exists(attachments.resolve("net1")));
    }

    @Test
    void aRecordThatCannotBeReadIsReleasedInTheConfiguredRangesAndStopsNothing() throws IOException {
        IpamConfig c = Conf.load(ipam, conf());
        ipam.add(c, IpamTest.owner("a"));
        ipam.add(c, IpamTest.owner("b"));
        ipam.add(c, IpamTest.owner("c"));
        Files.writeString(attachments.resolve("net1/a_net1"), ""); // what a power loss may leave
        Files.writeString(attachments.resolve("net1/b_net1"), "{\"containerId\": \"b\", \"ent");
        ipam.gc(gcConfig(List.of(new AttachmentId("b", "net1"), new AttachmentId("c", "net1"))));
        PoolKey v4 = PoolKey.of(Cidr.parse("10.0.0.0/24"), "");
        assertEquals(Map.of(IpAddress.parse("10.0.0.2"), IpamTest.owner("b"), IpAddress.parse("10.0.0.3"),
                IpamTest.owner("c")), store().allocations(v4), "a released, the valid b kept");
        assertEquals(4, store().reservations().size());
        assertFalse(Files.exists(attachments.resolve("net1/a_net1")));
        assertTrue(Files.exists(attachments.resolve("net1/b_net1")), "b's own DEL will release it");
        ipam.del(c, new AttachmentId("b", "net1"));
        assertEquals(Map.of(IpAddress.parse("10.0.0.3"), IpamTest.owner("c")), store().allocations(v4));
        assertFalse(Files.exists(attachments.resolve("net1/b_net1")));
    }

    @Test
    void anAddWhoseFirstRecordWriteWasKilledCanBeRetried() throws IOException {
        Files.createDirectories(attachments.resolve("net1"));
        Files.createFile(attachments.resolve("net1/a_net1"));
        IpamConfig c = Conf.load(ipam, conf());
        ipam.add(c, IpamTest.owner("a"));
        assertTrue(Files.readString(attachments.resolve("net1/a_net1")).contains("\"10.0.0.1\""));
        ipam.del(c, new AttachmentId("a", "net1"));
        assertEquals(Map.of(), store().allocations(PoolKey.of(Cidr.parse("10.0.0.0/24"), "")));
    }
}
