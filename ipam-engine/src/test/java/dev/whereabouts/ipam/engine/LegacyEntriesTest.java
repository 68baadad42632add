package dev.whereabouts.ipam.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.AttachmentId;
import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.api.Reservation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a DEL or re-ADD must still find although no ordinary ADD wrote it: entries without an
 * interface name (upstream before v0.8), found by container id on DEL and by pod reference on a
 * re-ADD; and the reservation an ADD of unknown outcome left without a pool entry.
 */
class LegacyEntriesTest extends EngineFixture {

    private static final PoolKey POOL = PoolKey.of(Cidr.parse("10.0.0.0/24"), "");
    private static final IpAddress HELD = IpAddress.parse("10.0.0.7");
    private static final Owner LEGACY = new Owner("sandbox-1", "", "ns/web-0");

    private IpamConfig network() {
        IpamConfig c = Conf.load(ipam, conf().range("10.0.0.0/24"));
        store().commit(POOL, PoolVersion.ABSENT, new PoolChange(List.of(new Allocation(HELD, LEGACY)), List.of(),
                List.of(new Reservation("", HELD, LEGACY)), List.of()));
        return c;
    }

    @Test
    void aReAddOfThePodGetsItsLegacyAddressBack() {
        IpamConfig c = network();
        Owner recreated = new Owner("sandbox-2", "net1", "ns/web-0");
        assertEquals(HELD, ipam.add(c, recreated).ips().getFirst().address().address());
        assertEquals(Map.of(HELD, recreated), store().allocations(POOL), "one entry, now with its interface");
    }

    @Test
    void aDelOfTheContainerReleasesTheLegacyEntryAndItsReservation() {
        IpamConfig c = network();
        ipam.del(c, new AttachmentId("sandbox-1", "net1"));
        assertEquals(Map.of(), store().allocations(POOL));
        assertTrue(store().reservations().isEmpty());
    }

    @Test
    void anotherContainerOrPodNeverMatchesALegacyEntry() {
        IpamConfig c = network();
        ipam.del(c, new AttachmentId("sandbox-9", "net1"));
        assertEquals(Map.of(HELD, LEGACY), store().allocations(POOL));
        IpAddress other = ipam.add(c, new Owner("sandbox-3", "net1", "ns/web-1")).ips().getFirst().address().address();
        assertEquals(IpAddress.parse("10.0.0.1"), other);
    }

    @Test
    void aDelAfterAnAddOfUnknownOutcomeSweepsTheReservationItLeft() {
        IpamConfig c = Conf.load(ipam, conf().range("10.0.0.0/24"));
        Owner lost = new Owner("sandbox-7", "net1", "ns/web-7");
        // The ADD's reservation landed, its pool write did not, and neither did the rollback.
        store().commit(POOL, PoolVersion.ABSENT, new PoolChange(List.of(), List.of(),
                List.of(new Reservation("", IpAddress.parse("10.0.0.9"), lost)), List.of()));
        new dev.whereabouts.ipam.engine.journal.AttachmentJournal(attachments).write(c.name(),
                new dev.whereabouts.ipam.engine.journal.JournalRecord(lost.attachment(), lost.podRef(),
                        List.of(new dev.whereabouts.ipam.engine.journal.JournalRecord.Entry(POOL, null)),
                        dev.whereabouts.ipam.engine.journal.JournalRecord.State.ADDING,
                        dev.whereabouts.ipam.engine.journal.JournalRecord.StoreRef.NONE));
        ipam.del(c, lost.attachment());
        assertTrue(store().reservations().isEmpty(), "the orphan reservation went with the DEL");
    }
}
