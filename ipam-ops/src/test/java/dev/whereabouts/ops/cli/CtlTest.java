package dev.whereabouts.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.engine.StoreProviders;
import dev.whereabouts.ipam.spi.CommitOutcome;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ops.OpsConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The CLI against a real, populated {@code file} store found through ServiceLoader. */
class CtlTest {

    @TempDir
    Path dir;

    private Path config;
    private final PoolKey blue = PoolKey.of(Cidr.parse("10.2.0.0/28"), "");
    private final PoolKey red = PoolKey.of(Cidr.parse("fd00:1::/120"), "red");

    /** What one invocation printed and returned. */
    record Result(int code, String out, String err) {
        JsonNode json() {
            return JsonMapper.builder().build().readTree(out);
        }
    }

    static Result ctl(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Ctl.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @BeforeEach
    void populate() throws Exception {
        config = dir.resolve("whereabouts.conf");
        Files.writeString(config, "{\"datastore\":\"file\",\"file\":{\"data_dir\":\"" + dir.resolve("data") + "\"}}");
        try (IpamStore store = StoreProviders.discovered().open(OpsConfig.read(config))) {
            put(store, blue, "10.2.0.1", new Owner("c-a", "net1", "ns/a"));
            put(store, blue, "10.2.0.2", new Owner("c-b", "net1", "ns/b"));
            put(store, blue, "10.2.0.3", new Owner("c-a2", "net2", "ns/a"));
            put(store, red, "fd00:1::5", new Owner("c-a", "net3", "ns/a"));
        }
    }

    private static void put(IpamStore store, PoolKey key, String ip, Owner owner) {
        var s = store.read(key);
        var a = new Allocation(IpAddress.parse(ip), owner);
        var outcome = store.commit(key, s.version(), new PoolChange(List.of(a), List.of(),
                List.of(new Reservation(key.networkName(), a.ip(), owner)), List.of()));
        assertTrue(outcome instanceof CommitOutcome.Committed, outcome.toString());
    }

    private IpamStore open() {
        return StoreProviders.discovered().open(OpsConfig.read(config));
    }

    @Test
    void listsPoolsWithSizeUsedAndFree() {
        Result r = ctl("--config", config.toString(), "pools");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(List.of(
                "NAME              RANGE         NETWORK  NODE  SIZE  USED  FREE",
                "10.2.0.0-28       10.2.0.0/28   -        -     14    3     11",
                "red-fd00-1---120  fd00:1::/120  red      -     254   1     253"), lines);

        JsonNode json = ctl("--config", config.toString(), "-o", "json", "pools").json();
        assertEquals(2, json.size());
        assertEquals("10.2.0.0-28", json.get(0).get("name").asString());
        assertEquals(11, json.get(0).get("free").asInt());
    }

    @Test
    void showsAPoolsAllocationsByNameOrRange() {
        Result byName = ctl("--config", config.toString(), "show", "10.2.0.0-28");
        assertEquals(0, byName.code(), byName.err());
        assertEquals(List.of(
                "POOL         IP        POD   CONTAINER  INTERFACE",
                "10.2.0.0-28  10.2.0.1  ns/a  c-a        net1",
                "10.2.0.0-28  10.2.0.2  ns/b  c-b        net1",
                "10.2.0.0-28  10.2.0.3  ns/a  c-a2       net2"), byName.out().lines().toList());
        assertEquals(byName.out(), ctl("--config", config.toString(), "show", "10.2.0.0/28").out());
        Result missing = ctl("--config", config.toString(), "show", "10.3.0.0/28");
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("no pool"));
    }

    @Test
    void findsWhoHoldsAnAddress() {
        JsonNode who = ctl("--config", config.toString(), "-o", "json", "who", "fd00:1::5").json();
        assertEquals(2, who.size());
        assertEquals("allocation", who.get(0).get("kind").asString());
        assertEquals("ns/a", who.get(0).get("pod").asString());
        assertTrue(who.get(1).get("kind").asString().startsWith("reservation red-fd00-1--5"));
        Result nobody = ctl("--config", config.toString(), "who", "10.2.0.9");
        assertEquals(1, nobody.code());
        assertTrue(nobody.err().contains("nobody holds 10.2.0.9"));
    }

    @Test
    void releaseRefusesWithoutYesAndChangesNothing() {
        Result r = ctl("--config", config.toString(), "release", "--ip", "10.2.0.2");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("without --yes"), r.err());
        assertTrue(r.out().contains("10.2.0.2"));
        try (IpamStore s = open()) {
            assertEquals(3, s.read(blue).allocations().size());
        }
    }

    @Test
    void releasesByAddressWithItsReservation() {
        Result r = ctl("--config", config.toString(), "release", "--ip", "10.2.0.2", "--yes");
        assertEquals(0, r.code(), r.err());
        try (IpamStore s = open()) {
            assertFalse(s.read(blue).allocations().containsKey(IpAddress.parse("10.2.0.2")));
            assertTrue(s.reservations().stream().noneMatch(x -> x.ip().equals(IpAddress.parse("10.2.0.2"))));
            assertEquals(3, s.reservations().size());
        }
    }

    @Test
    void releasesEverythingOfAPodAcrossPools() {
        Result r = ctl("--config", config.toString(), "-o", "json", "release", "--pod", "ns/a", "-y");
        assertEquals(0, r.code(), r.err());
        assertEquals(3, r.json().size());
        try (IpamStore s = open()) {
            assertEquals(List.of(IpAddress.parse("10.2.0.2")), List.copyOf(s.read(blue).allocations().keySet()));
            assertTrue(s.read(red).allocations().isEmpty());
            assertEquals(1, s.reservations().size());
        }
    }

    @Test
    void releasesALeftoverReservationNoPoolHolds() {
        try (IpamStore s = open()) {
            var snap = s.read(blue);
            s.commit(blue, snap.version(), new PoolChange(List.of(), List.of(),
                    List.of(new Reservation("", IpAddress.parse("10.2.0.9"), new Owner("c-z", "net1", "ns/z"))), List.of()));
        }
        Result r = ctl("--config", config.toString(), "release", "--ip", "10.2.0.9", "--yes");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("reservation 10.2.0.9"), r.out());
        try (IpamStore s = open()) {
            assertEquals(4, s.reservations().size());
        }
    }

    @Test
    void reportsErrorsOnStderrWithNonZeroExit() {
        Result unknownStore = ctlWith("{\"datastore\":\"carrier-pigeon\"}", "pools");
        assertEquals(1, unknownStore.code());
        assertTrue(unknownStore.err().contains("carrier-pigeon"), unknownStore.err());
        assertTrue(unknownStore.err().contains("file") && unknownStore.err().contains("memory"), unknownStore.err());
        assertEquals("", unknownStore.out());

        Result noFile = ctl("--config", dir.resolve("nope.conf").toString(), "pools");
        assertEquals(1, noFile.code());
        assertTrue(noFile.err().contains("config file not found"));

        Result notJson = ctlWith("{oops", "pools");
        assertEquals(1, notJson.code());
        assertTrue(notJson.err().contains("not valid JSON"), notJson.err());
        Result secret = ctlWith("{\"token\": SECRET-42}", "pools");
        assertEquals(1, secret.code());
        assertFalse(secret.err().contains("SECRET"), "the engine's reader never quotes the file: " + secret.err());

        assertEquals(2, ctl("--config", config.toString(), "frobnicate").code());
        assertEquals(2, ctl("--config", config.toString(), "--bogus", "pools").code());
        assertEquals(2, ctl("--config", config.toString(), "-o", "yaml", "pools").code());
        assertEquals(2, ctl("--config", config.toString(), "release", "--ip", "1.2.3.4", "--pod", "a/b").code());
        assertEquals(2, ctl().code());
        assertEquals(0, ctl("--help").code());

        Result noKube = ctl("--config", config.toString(), "reconcile", "--dry-run");
        assertEquals(1, noKube.code());
        assertTrue(noKube.err().contains("kubernetes.kubeconfig"), noKube.err());
    }

    @Test
    void readsTheIpamSectionOfANetworkConfigOrConfList() throws Exception {
        Path list = dir.resolve("net.conflist");
        Files.writeString(list, "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"plugins\":[{\"type\":\"macvlan\",\"ipam\":"
                + "{\"type\":\"whereabouts\",\"datastore\":\"file\",\"file\":{\"data_dir\":\"" + dir.resolve("data") + "\"}}}]}");
        Result r = ctl("--config", list.toString(), "-o", "json", "pools");
        assertEquals(0, r.code(), r.err());
        assertEquals(2, r.json().size());
    }

    private Result ctlWith(String configText, String... args) {
        try {
            Path p = Files.createTempFile(dir, "c", ".conf");
            Files.writeString(p, configText);
            String[] all = new String[args.length + 2];
            all[0] = "--config";
            all[1] = p.toString();
            System.arraycopy(args, 0, all, 2, args.length);
            return ctl(all);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
