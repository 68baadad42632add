package dev.whereabouts.ipam.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.engine.config.ConfigLoader;
import dev.whereabouts.ipam.engine.config.NetworkConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The flat file {@code whereabouts.conf}: where it is found and how it merges. */
class FlatFileTest {

    @TempDir
    Path tmp;

    private Path write(String name, String json) throws IOException {
        Path p = tmp.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, json);
        return p;
    }

    private NetworkConfig load(ConfigLoader loader, String ipamFields) {
        return loader.load(ConfigLoaderTest.net(ipamFields).getBytes(StandardCharsets.UTF_8), "", Map.of());
    }

    @Test
    void absentFlatFileIsFine() {
        NetworkConfig n = load(new ConfigLoader(List.of(tmp.resolve("missing.conf"))), "\"range\":\"10.0.0.0/24\"");
        assertEquals(Optional.empty(), n.ipam().flatFile());
        assertEquals("kubernetes", n.ipam().datastore());
    }

    @Test
    void inlineValuesWinAndFlatValuesFillTheGaps() throws IOException {
        Path flat = write("flat/whereabouts.conf", """
                {"datastore":"kubernetes","kubernetes":{"kubeconfig":"/etc/k.kubeconfig","k8s_api_root":"https://flat"},
                 "log_file":"/tmp/whereabouts.log","log_level":"debug","gateway":"192.168.5.5",
                 "reconciler_cron_expression":"30 4 * * *","network_name":"","enable_overlapping_ranges":true}
                """);
        NetworkConfig n = load(new ConfigLoader(List.of()), "\"configuration_path\":\"" + flat + "\","
                + "\"range\":\"192.168.2.230/24\",\"range_start\":\"192.168.2.223\",\"gateway\":\"192.168.10.1\","
                + "\"log_level\":\"\",\"kubernetes\":{\"k8s_api_root\":\"https://inline\"},\"enable_overlapping_ranges\":false,"
                + "\"leader_lease_duration\":3000");
        assertEquals(Optional.of(flat), n.ipam().flatFile());
        assertEquals(Optional.of(IpAddress.parse("192.168.10.1")), n.ipam().gateway());
        assertEquals("debug", n.ipam().logLevel().label());
        assertEquals(Optional.of(Path.of("/tmp/whereabouts.log")), n.ipam().logFile());
        assertEquals(Optional.of("/etc/k.kubeconfig"), n.ipam().kubeconfig());
        assertEquals(Map.of("kubeconfig", "/etc/k.kubeconfig", "k8s_api_root", "https://inline"),
                n.ipam().section().get("kubernetes"));
        assertEquals("30 4 * * *", n.ipam().reconcilerCronExpression());
        assertFalse(n.ipam().overlappingRanges(), "enable_overlapping_ranges is taken from the inline config only");
    }

    @Test
    void theFlatFileCannotDisableOverlappingRanges() throws IOException {
        Path flat = write("w.conf", "{\"enable_overlapping_ranges\":false}");
        assertTrue(load(new ConfigLoader(List.of(flat)), "").ipam().overlappingRanges());
    }

    @Test
    void configurationPathMayBeADirectoryAndIsKeptForTheNodeNameFile() throws IOException {
        Path dir = tmp.resolve("whereabouts.d");
        write("whereabouts.d/whereabouts.conf", "{\"datastore\":\"file\",\"configuration_path\":\"" + dir + "\"}");
        NetworkConfig inline = load(new ConfigLoader(List.of()), "\"configuration_path\":\"" + dir + "\"");
        assertEquals("file", inline.ipam().datastore());
        Path flat = tmp.resolve("whereabouts.d/whereabouts.conf");
        NetworkConfig fromDefault = load(new ConfigLoader(List.of(flat)), "");
        assertEquals(Optional.of(dir.toString()), fromDefault.ipam().configurationPath());
    }

    @Test
    void firstExistingLocationWinsWithoutLayering() throws IOException {
        Path first = write("a/whereabouts.conf", "{\"datastore\":\"etcd\"}");
        Path second = write("b/whereabouts.conf", "{\"datastore\":\"file\",\"log_file\":\"/tmp/b.log\"}");
        NetworkConfig n = load(new ConfigLoader(List.of(tmp.resolve("none.conf"), first, second)), "");
        assertEquals("etcd", n.ipam().datastore());
        assertEquals(Optional.empty(), n.ipam().logFile());
        NetworkConfig inlineFirst = load(new ConfigLoader(List.of(first)), "\"configuration_path\":\"" + second + "\"");
        assertEquals("file", inlineFirst.ipam().datastore());
    }

    @Test
    void aBrokenFlatFileIsReportedWithItsPath() throws IOException {
        Path flat = write("bad.conf", "{ nope");
        IpamException e = assertThrows(IpamException.class, () -> load(new ConfigLoader(List.of(flat)), ""));
        assertEquals(IpamException.DECODING_FAILURE, e.code());
        assertTrue(e.getMessage().startsWith("LoadIPAMConfig Flatfile (" + flat + ") - JSON Parsing Error"), e.getMessage());
    }

    @Test
    void flatFileRangesAreUsedWhenInlineHasNone() throws IOException {
        Path flat = write("r.conf", "{\"range\":\"10.9.0.0/16\",\"exclude\":[\"10.9.0.0/24\"]}");
        NetworkConfig n = load(new ConfigLoader(List.of(flat)), "");
        assertEquals("10.9.0.0/16", n.ipam().ranges().getFirst().range().toString());
        assertEquals(1, n.ipam().ranges().getFirst().exclude().size());
    }
}
