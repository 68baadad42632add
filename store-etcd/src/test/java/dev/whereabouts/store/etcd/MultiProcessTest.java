package dev.whereabouts.store.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eight OS processes allocate from and release into one pool at once. No address may end up with
 * two owners, and the pool must hold exactly the ADDs whose DEL did not happen, each with its
 * reservation.
 */
class MultiProcessTest {

    private static final int PROCESSES = 8;
    private static final int OPERATIONS = 40;
    private static final String RANGE = "10.60.0.0/24";

    @Test
    void eightProcessesNeverShareAnAddressAndLoseNoUpdate(@TempDir Path dir) throws Exception {
        try (EtcdServer etcd = EtcdServer.start()) {
            String prefix = "/mp";
            List<Process> children = new ArrayList<>();
            for (int id = 0; id < PROCESSES; id++) {
                ProcessBuilder pb = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--sun-misc-unsafe-memory-access=allow", "-XX:TieredStopAtLevel=1",
                        "-cp", System.getProperty("java.class.path"),
                        AllocatorProcess.class.getName(),
                        etcd.endpoint(), prefix, RANGE, Integer.toString(id), Integer.toString(OPERATIONS),
                        dir.resolve("child-" + id + ".log").toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("child-" + id + ".out").toFile());
                children.add(pb.start());
            }
            for (int id = 0; id < PROCESSES; id++) {
                Process p = children.get(id);
                // Returning from main must end the JVM: a lingering non-daemon thread would hang here.
                if (!p.waitFor(150, TimeUnit.SECONDS)) {
                    children.forEach(Process::destroyForcibly);
                    fail("child " + id + " did not exit; output: " + Files.readString(dir.resolve("child-" + id + ".out")));
                }
                assertEquals(0, p.exitValue(), "child " + id + " failed: " + Files.readString(dir.resolve("child-" + id + ".out")));
            }

            Map<IpAddress, String> live = new HashMap<>();
            int adds = 0;
            int dels = 0;
            for (int id = 0; id < PROCESSES; id++) {
                Map<IpAddress, String> mine = new LinkedHashMap<>();
                for (String line : Files.readAllLines(dir.resolve("child-" + id + ".log"))) {
                    String[] f = line.split(" ");
                    switch (f[0]) {
                        case "ADD" -> {
                            adds++;
                            assertEquals(null, mine.put(IpAddress.parse(f[1]), f[2]), "child " + id + " got an address it holds: " + line);
                        }
                        case "DEL" -> {
                            dels++;
                            assertEquals(f[2], mine.remove(IpAddress.parse(f[1])), line);
                        }
                        default -> fail("child " + id + " reported an error: " + line);
                    }
                }
                for (Map.Entry<IpAddress, String> e : mine.entrySet()) {
                    String other = live.put(e.getKey(), e.getValue());
                    if (other != null) {
                        fail(e.getKey() + " is held by both " + other + " and " + e.getValue());
                    }
                }
            }
            assertTrue(adds > PROCESSES * OPERATIONS / 2, "too few ADDs ran: " + adds);
            assertTrue(dels > 0);

            try (IpamStore store = new EtcdStoreProvider().open(new StoreConfig(etcd.config(prefix)))) {
                PoolKey pool = PoolKey.of(Cidr.parse(RANGE), "mp");
                Map<IpAddress, String> stored = new HashMap<>();
                store.read(pool).allocations().forEach((ip, owner) -> stored.put(ip, owner.containerId()));
                assertEquals(live, stored, "the pool must hold exactly the ADDs that were not released");
                Map<IpAddress, String> reserved = new HashMap<>();
                for (Reservation r : store.reservations()) {
                    assertEquals("mp", r.networkName());
                    reserved.put(r.ip(), r.owner().containerId());
                }
                assertEquals(live, reserved, "every allocation has its reservation and nothing else is reserved");
            }
        }
    }
}
