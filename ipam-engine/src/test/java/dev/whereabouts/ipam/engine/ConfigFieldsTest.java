package dev.whereabouts.ipam.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.AttachmentId;
import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.engine.config.ConfigLoader;
import dev.whereabouts.ipam.engine.config.IpamSection;
import dev.whereabouts.ipam.engine.config.NetworkConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The non-range fields of the configuration: names, logging, leader timings, store fields, GC input. */
class ConfigFieldsTest {

    private final ConfigLoader loader = new ConfigLoader(List.of());

    static String net(String ipamFields) {
        return ConfigLoaderTest.net(ipamFields);
    }

    NetworkConfig load(String doc) {
        return loader.load(doc.getBytes(StandardCharsets.UTF_8), "", Map.of());
    }

    IpamSection ipam(String fields) {
        return load(net(fields)).ipam();
    }

    IpamException fails(String doc) {
        return assertThrows(IpamException.class, () -> load(doc));
    }

    static IpAddress ip(String s) {
        return IpAddress.parse(s);
    }

    @Test
    void networkNameOverlappingAndNodeSlices() {
        IpamSection defaults = ipam("\"range\":\"10.0.0.0/8\"");
        assertEquals("", defaults.networkName());
        assertTrue(defaults.overlappingRanges());
        assertTrue(defaults.nodeSliceSize().isEmpty());
        IpamSection s = ipam("\"range\":\"10.0.0.0/8\",\"network_name\":\"tenant\",\"enable_overlapping_ranges\":false,\"node_slice_size\":\"/16\"");
        assertEquals("tenant", s.networkName());
        assertFalse(s.overlappingRanges());
        assertEquals(16, s.nodeSliceSize().getAsInt());
        assertEquals(24, ipam("\"range\":\"10.0.0.0/8\",\"node_slice_size\":\"24\"").nodeSliceSize().getAsInt());
        assertEquals(7, fails(net("\"range\":\"10.0.0.0/16\",\"node_slice_size\":\"/8\"")).code());
        assertEquals(7, fails(net("\"range\":\"10.0.0.0/16\",\"node_slice_size\":\"big\"")).code());
        assertEquals(7, fails(net("\"enable_overlapping_ranges\":\"maybe\"")).code());
    }

    @Test
    void loggingFields() {
        IpamSection s = ipam("\"log_file\":\"/tmp/whereabouts.log\",\"log_level\":\"VERbose\"");
        assertEquals(Optional.of(Path.of("/tmp/whereabouts.log")), s.logFile());
        assertEquals("verbose", s.logLevel().label());
        assertEquals("debug", ipam("").logLevel().label());
        assertEquals("debug", ipam("\"log_level\":\"XXXX\"").logLevel().label());
        assertEquals(Optional.empty(), ipam("").logFile());
    }

    @Test
    void leaderTimingsAreAcceptedAndIgnored() {
        IpamSection plain = ipam("");
        IpamSection timed = ipam("\"leader_lease_duration\":3000,\"leader_renew_deadline\":2000,\"leader_retry_period\":1000");
        assertEquals(plain.datastore(), timed.datastore());
        assertEquals(plain.storeTimeout(), timed.storeTimeout());
        assertEquals(7, fails(net("\"leader_retry_period\":\"soon\"")).code(), "still numbers, as upstream decodes them");
    }

    @Test
    void storeFields() {
        IpamSection d = ipam("");
        assertEquals("kubernetes", d.datastore());
        assertEquals(Path.of("/run/whereabouts/daemon.sock"), d.daemonSocket());
        assertEquals(Path.of("/var/lib/cni/whereabouts/attachments"), d.attachmentsDir());
        assertEquals(Optional.empty(), d.storeTimeout());
        assertEquals(Duration.ofMinutes(2), d.addBudget(), "upstream's AddTimeLimit");
        assertEquals(Duration.ofMinutes(1), d.releaseBudget(), "upstream's DelTimeLimit");
        assertEquals(Optional.empty(), d.kubeconfig());
        IpamSection s = ipam("\"datastore\":\"etcd\",\"daemon_socket\":\"/tmp/d.sock\",\"attachments_dir\":\"/tmp/att\","
                + "\"store_timeout_ms\":2500,\"kubernetes\":{\"kubeconfig\":\"/k/config\",\"k8s_api_root\":\"https://api\"},"
                + "\"etcd_host\":\"127.0.0.1:2379\",\"etcd_username\":\"u\",\"etcd_password\":\"p\",\"etcd_key_file\":\"/k\","
                + "\"etcd_cert_file\":\"/c\",\"etcd_ca_cert_file\":\"/ca\",\"file\":{\"data_dir\":\"/var/lib/w\"},"
                + "\"reconciler_cron_expression\":\"30 4 * * *\",\"sleep_for_race\":1,\"unknown_key\":{\"x\":1}");
        assertEquals("etcd", s.datastore());
        assertEquals(Path.of("/tmp/d.sock"), s.daemonSocket());
        assertEquals(Path.of("/tmp/att"), s.attachmentsDir());
        assertEquals(Optional.of(Duration.ofMillis(2500)), s.storeTimeout());
        assertEquals(Duration.ofMillis(2500), s.addBudget());
        assertEquals(Duration.ofMillis(2500), s.releaseBudget());
        assertEquals(Optional.of("/k/config"), s.kubeconfig());
        assertEquals("30 4 * * *", s.reconcilerCronExpression());
        assertEquals("127.0.0.1:2379", s.section().get("etcd_host"));
        assertEquals(Map.of("data_dir", "/var/lib/w"), s.section().get("file"));
        assertEquals(7, fails(net("\"store_timeout_ms\":0")).code());
        assertEquals(7, fails(net("\"store_timeout_ms\":\"5000\"")).code(), "numbers are JSON numbers, as for every field");
        // etcd_*, file.* and the rest of kubernetes.* are their store's to check (bad-inputs.jsonl covers them).
    }

    @Test
    void keysMatchCaseInsensitively() {
        IpamSection s = load("{\"CNIVersion\":\"0.4.0\",\"Name\":\"x\",\"IPAM\":{\"Type\":\"whereabouts\",\"RANGE\":\"10.0.0.0/24\","
                + "\"Range_Start\":\"10.0.0.10\",\"Network_Name\":\"n\"}}").ipam();
        assertEquals(Cidr.parse("10.0.0.0/24"), s.ranges().getFirst().range());
        assertEquals(Optional.of(ip("10.0.0.10")), s.ranges().getFirst().start());
        assertEquals("n", s.networkName());
    }

    @Test
    void validAttachmentsFallBackToTheOldKey() {
        String v = "{\"cniVersion\":\"1.1.0\",\"name\":\"x\",\"ipam\":{\"type\":\"whereabouts\"},"
                + "\"cni.dev/valid-attachments\":[{\"containerID\":\"a\",\"ifname\":\"net1\"}],"
                + "\"cni.dev/attachments\":[{\"containerID\":\"b\",\"ifname\":\"net1\"}]}";
        assertEquals(List.of(new AttachmentId("a", "net1")), load(v).validAttachments());
        String old = "{\"cniVersion\":\"1.1.0\",\"name\":\"x\",\"ipam\":{\"type\":\"whereabouts\"},"
                + "\"cni.dev/attachments\":[{\"containerID\":\"b\",\"ifname\":\"eth0\"}],\"runtimeConfig\":{\"ips\":[]},\"args\":{}}";
        assertEquals(List.of(new AttachmentId("b", "eth0")), load(old).validAttachments());
        assertEquals(List.of(), load(net("")).validAttachments());
    }

    @Test
    void publicConfigView() {
        try (Ipam ipam = Conf.engine()) {
            IpamConfig c = ipam.load(net("\"range\":\"10.0.0.0/24\",\"datastore\":\"file\",\"log_level\":\"error\"")
                    .getBytes(StandardCharsets.UTF_8), "K8S_POD_NAMESPACE=ns;K8S_POD_NAME=p", Map.of());
            assertEquals("1.0.0", c.cniVersion());
            assertEquals("mynet", c.name());
            assertEquals("file", c.datastore());
            assertEquals("error", c.logLevel().label());
            assertEquals("ns/p", c.podRef());
            assertEquals(List.of(Cidr.parse("10.0.0.0/24")), c.ranges());
            assertEquals("file", c.storeConfig().string("datastore").orElseThrow());
            assertEquals(Optional.empty(), c.flatFile());
        }
    }
}
