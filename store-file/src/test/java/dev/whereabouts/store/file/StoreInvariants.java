package dev.whereabouts.store.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.spi.IpamStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** Checks a data directory the way an auditor would, file by file. */
final class StoreInvariants {

    private StoreInvariants() {}

    /**
     * Every data file and the journal parse; nothing else but the lock and temp files (which may be
     * cut short and are removed by the next store start) is present.
     */
    static void everyFileParses(Path dir) throws IOException {
        check(dir, Set.of());
    }

    /**
     * What a writer killed at any instant leaves: a journal cut short (its steps had not started,
     * so every data file parses), or a whole journal whose step files may be cut short, since the
     * next lock holder writes them again; everything else parses.
     */
    static void everyFileParsesOrIsReplayed(Path dir) throws IOException {
        Path journal = dir.resolve(Journal.KIND);
        Set<String> replayed = new HashSet<>();
        if (Files.exists(journal)) {
            String text = Files.readString(journal, StandardCharsets.ISO_8859_1);
            if (!RecordText.cutShort(text)) {
                RecordText.read(Journal.KIND, text).forEach(step -> replayed.add(step.get(1)));
            }
        }
        check(dir, replayed);
    }

    private static void check(Path dir, Set<String> replayed) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                String name = dir.relativize(p).toString();
                if (p.getFileName().toString().startsWith(Layout.TEMP_PREFIX) || replayed.contains(name)) {
                    continue;
                }
                String text = Files.readString(p, StandardCharsets.ISO_8859_1);
                if (name.startsWith("pools/")) {
                    PoolFile.parse(text);
                } else if (name.startsWith("reservations/")) {
                    ReservationText.parse(text);
                } else if (name.equals(Journal.KIND)) {
                    if (replayed.isEmpty() && !RecordText.cutShort(text)) {
                        RecordText.read(Journal.KIND, text);
                    }
                } else if (!name.equals("lock")) {
                    throw new AssertionError("unexpected file " + name);
                }
            }
        }
    }

    /**
     * No address of a network has two owners across pools, and the reservations are exactly the
     * allocations (the workloads always change both together), so no commit was torn.
     */
    static void noAddressHasTwoOwners(IpamStore store) {
        Map<String, Map<IpAddress, Owner>> byNetwork = new HashMap<>();
        for (PoolKey key : store.pools()) {
            Map<IpAddress, Owner> seen = byNetwork.computeIfAbsent(key.networkName(), n -> new HashMap<>());
            store.read(key).allocations().forEach((ip, owner) ->
                    assertNull(seen.put(ip, owner), ip + " is allocated in two pools of " + key.networkName()));
        }
        Set<Reservation> expected = new HashSet<>();
        byNetwork.forEach((net, m) -> m.forEach((ip, o) -> expected.add(new Reservation(net, ip, o))));
        List<Reservation> actual = store.reservations();
        assertEquals(actual.size(), Set.copyOf(actual).size());
        assertEquals(expected, Set.copyOf(actual), "reservations must match the allocations exactly");
    }

    /** No temp file and no pending journal is left after a store started. */
    static void noLeftovers(Path dir) throws IOException {
        assertTrue(Journal.finished(dir.resolve("journal")), "journal left pending");
        try (Stream<Path> all = Files.walk(dir)) {
            List<Path> temps = all.filter(p -> p.getFileName().toString().startsWith(Layout.TEMP_PREFIX)).toList();
            assertEquals(List.of(), temps);
        }
    }
}
