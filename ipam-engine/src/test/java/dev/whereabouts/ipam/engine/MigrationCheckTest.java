package dev.whereabouts.ipam.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The findings `whereabouts ctl migration-check` prints for a NetworkAttachmentDefinition's config. */
class MigrationCheckTest {

    private static String nad(String ipam) {
        return "{\"cniVersion\":\"0.3.1\",\"name\":\"net\",\"type\":\"macvlan\",\"ipam\":{\"type\":\"whereabouts\"," + ipam + "}}";
    }

    @Test
    void aPlainNetworkHasNothingToSay() {
        assertEquals(List.of(), MigrationCheck.findings(nad("\"range\":\"10.1.0.0/24\"")));
        assertEquals(List.of(), MigrationCheck.findings(nad("\"range\":\"10.1.0.0/24\",\"datastore\":\"kubernetes\"")));
    }

    @Test
    void aV05EtcdDatastoreIsNamed() {
        List<String> f = MigrationCheck.findings(nad("\"range\":\"10.1.0.0/24\",\"datastore\":\"etcd\",\"etcd_host\":\"e:2379\""));
        assertEquals(1, f.size(), f.toString());
        assertTrue(f.getFirst().startsWith("datastore 'etcd'"), f.toString());
    }

    @Test
    void leadingZerosAndRefusedBoundsAreNamed() {
        List<String> f = MigrationCheck.findings(nad("\"range\":\"10.1.0.0/24\",\"range_start\":\"10.1.0.010\""));
        assertTrue(f.stream().anyMatch(s -> s.startsWith("range_start '10.1.0.010' has an octet with a leading zero")), f.toString());
        List<String> outside = MigrationCheck.findings(nad("\"range\":\"10.1.0.0/24\",\"range_end\":\"10.2.0.9\""));
        assertTrue(outside.stream().anyMatch(s -> s.startsWith("refused by this plugin (code 7)") && s.contains("range_end")),
                outside.toString());
    }

    @Test
    void confListsAreSearchedAndOtherIpamTypesSkipped() {
        String list = "{\"cniVersion\":\"1.0.0\",\"name\":\"l\",\"plugins\":[{\"type\":\"bridge\",\"ipam\":{\"type\":\"host-local\","
                + "\"datastore\":\"etcd\"}},{\"type\":\"macvlan\",\"ipam\":{\"type\":\"whereabouts\",\"range\":\"10.1.0.0/24\","
                + "\"datastore\":\"file\"}}]}";
        List<String> f = MigrationCheck.findings(list);
        assertEquals(1, f.size(), f.toString());
        assertTrue(f.getFirst().startsWith("datastore 'file'"));
        assertEquals(1, MigrationCheck.findings("not json").size());
    }
}
