package dev.whereabouts.store.file;

import static dev.whereabouts.store.file.Stores.alloc;
import static dev.whereabouts.store.file.Stores.ip;
import static dev.whereabouts.store.file.Stores.owner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.spi.IpamStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nothing a configuration or the runtime says can make the store touch a path outside its directory. */
class PathSafetyTest {

    @TempDir
    Path tmp;


    @ParameterizedTest
    @ValueSource(strings = {"..", ".", "../etc", "a/b", "/abs", "a\0b", "_default", "-lead", ".hidden", "sp ace",
        "new\nline", "caf\u00e9", "a\\b"})
    void badNetworkAndNodeNamesAreInvalidConfiguration(String name) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("data"));
        try (IpamStore store = Stores.open(dir)) {
            PoolKey byNetwork = PoolKey.of(Cidr.parse("10.0.0.0/24"), name);
            PoolKey byNode = new PoolKey(Cidr.parse("10.0.0.0/24"), "net", name);
            for (PoolKey key : List.of(byNetwork, byNode)) {
                assertEquals(7, assertThrows(IpamException.class, () -> store.read(key)).code());
                assertEquals(7, assertThrows(IpamException.class,
                        () -> store.commit(key, PoolVersion.ABSENT, PoolChange.put(alloc("10.0.0.1", "a")))).code());
            }
            Reservation r = new Reservation(name, ip("10.0.0.1"), owner("a"));
            assertEquals(7, assertThrows(IpamException.class, () -> store.removeReservation(r)).code());
            assertEquals(7, assertThrows(IpamException.class, () -> store.commit(Stores.pool("10.0.0.0/24"),
                    PoolVersion.ABSENT, new PoolChange(List.of(), List.of(), List.of(r), List.of()))).code());
        }
        assertOnlyStoreFiles(tmp);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "a/b", "-x", ".x", "a b", "a\0", "x\ny"})
    void badContainerIdsAreInvalidEnvironment(String id) {
        try (IpamStore store = Stores.open(tmp)) {
            Owner bad = new Owner(id, "eth0", "");
            IpamException e = assertThrows(IpamException.class, () -> store.commit(Stores.pool("10.0.0.0/24"),
                    PoolVersion.ABSENT, PoolChange.put(new Allocation(ip("10.0.0.1"), bad))));
            assertEquals(4, e.code());
            assertTrue(e.msg().contains("CNI_CONTAINERID"), e.msg());
            assertEquals(PoolVersion.ABSENT, store.read(Stores.pool("10.0.0.0/24")).version());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {".", "..", "a/b", "a:b", "a b", "tab\t", "sixteen-chars-xx"})
    void badInterfaceNamesAreInvalidEnvironment(String ifName) {
        try (IpamStore store = Stores.open(tmp)) {
            Owner bad = new Owner("c1", ifName, "");
            IpamException e = assertThrows(IpamException.class, () -> store.commit(Stores.pool("10.0.0.0/24"),
                    PoolVersion.ABSENT, new PoolChange(List.of(), List.of(), List.of(
                            new Reservation("", ip("10.0.0.1"), bad)), List.of())));
            assertEquals(4, e.code());
            assertTrue(e.msg().contains("CNI_IFNAME"), e.msg());
        }
    }

    @Test
    void namesAtTheEdgeOfTheRulesAreAccepted() {
        try (IpamStore store = Stores.open(tmp)) {
            PoolKey key = new PoolKey(Cidr.parse("10.0.0.0/24"), "n.et_1-x", "node-1.example.com");
            Owner edge = new Owner("0a_b.c-d", "fifteen-chars-x", "ns/pod");
            FileStoreTest.committed(store.commit(key, PoolVersion.ABSENT, new PoolChange(
                    List.of(new Allocation(ip("10.0.0.1"), edge)), List.of(),
                    List.of(new Reservation(key.networkName(), ip("10.0.0.1"), edge)), List.of())));
            assertEquals(List.of(key), store.pools());
            assertEquals(edge, store.reservations().getFirst().owner());
        }
    }

    @Test
    void aJournalCannotNameAPathOutsideTheStore() {
        Layout layout = new Layout(tmp);
        for (String rel : List.of("../x/y", "pools/../../x", "pools/a/../../b", "/etc/passwd", "pools/a", "lock",
                "pools/.tmp-1/x", "pools/a/.tmp-x", "journal/a/b", "pools//x", "pools/a/b/c")) {
            assertThrows(IllegalArgumentException.class, () -> layout.fromRelative(rel), rel);
        }
        assertEquals(tmp.resolve("pools").resolve("_default").resolve("10.0.0.0-24"),
                layout.fromRelative("pools/_default/10.0.0.0-24"));
    }

    private static void assertOnlyStoreFiles(Path root) throws Exception {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                String rel = root.relativize(p).toString();
                assertTrue(rel.isEmpty() || rel.equals("data") || rel.startsWith("data/"), "stray path " + rel);
            }
        }
    }
}
