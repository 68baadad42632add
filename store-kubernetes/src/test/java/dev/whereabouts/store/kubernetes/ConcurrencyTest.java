package dev.whereabouts.store.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.Reservation;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Many writers on one pool through the mock API server: no address ever has two owners. */
class ConcurrencyTest {

    /**
     * Checks the outcome of all workers: the held addresses are distinct, and the pool and the
     * reservations hold exactly those, with the right owners.
     */
    static void assertNoAddressHasTwoOwners(MockCluster cluster, List<String> lines) {
        Map<IpAddress, String> holders = new HashMap<>();
        for (String line : lines) {
            String[] f = line.split(" ");
            if (Boolean.parseBoolean(f[2])) {
                String previous = holders.put(IpAddress.parse(f[1]), f[0]);
                assertEquals(null, previous, f[1] + " was given to " + previous + " and " + f[0]);
            }
        }
        try (KubernetesIpamStore store = cluster.open()) {
            Map<IpAddress, String> pool = store.read(ChildWorker.POOL).allocations().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().podRef()));
            assertEquals(holders, pool);
            Map<IpAddress, String> reserved = store.reservations().stream()
                    .collect(Collectors.toMap(Reservation::ip, r -> r.owner().podRef()));
            assertEquals(holders, reserved);
        }
    }

    @Test
    void sixteenThreadsWithTheirOwnClients() throws Exception {
        try (MockCluster cluster = new MockCluster("concurrency")) {
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                String name = "thread" + t;
                results.add(pool.submit(() -> {
                    try (KubernetesIpamStore store = cluster.open()) {
                        return ChildWorker.work(store, name, 6);
                    }
                }));
            }
            List<String> lines = new ArrayList<>();
            for (Future<List<String>> f : results) {
                lines.addAll(f.get(5, TimeUnit.MINUTES));
            }
            pool.shutdown();
            assertEquals(96, lines.size());
            assertNoAddressHasTwoOwners(cluster, lines);
        }
    }

    @Test
    void sixteenThreadsSharingOneClient() throws Exception {
        try (MockCluster cluster = new MockCluster("concurrency"); KubernetesIpamStore shared = cluster.open()) {
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                String name = "shared" + t;
                results.add(pool.submit(() -> ChildWorker.work(shared, name, 4)));
            }
            List<String> lines = new ArrayList<>();
            for (Future<List<String>> f : results) {
                lines.addAll(f.get(5, TimeUnit.MINUTES));
            }
            pool.shutdown();
            assertNoAddressHasTwoOwners(cluster, lines);
        }
    }

    @Test
    void fourPluginProcesses() throws Exception {
        try (MockCluster cluster = new MockCluster("processes")) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<Process> children = new ArrayList<>();
            List<Path> outputs = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                Path out = cluster.dir.resolve("child" + p + ".txt");
                outputs.add(out);
                children.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=error",
                        ChildWorker.class.getName(), cluster.kubeconfig.toString(), "proc" + p, "8", out.toString())
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(cluster.dir.resolve("child" + p + ".err").toFile())
                        .start());
            }
            for (int p = 0; p < children.size(); p++) {
                Process c = children.get(p);
                if (!c.waitFor(5, TimeUnit.MINUTES)) {
                    c.destroyForcibly();
                }
                File err = cluster.dir.resolve("child" + p + ".err").toFile();
                assertEquals(0, c.exitValue(), "child " + p + " failed: " + Files.readString(err.toPath()));
            }
            List<String> lines = new ArrayList<>();
            for (Path out : outputs) {
                lines.addAll(Files.readAllLines(out));
            }
            assertEquals(32, lines.size());
            assertNoAddressHasTwoOwners(cluster, lines);
        }
    }

    /**
     * Writers on two overlapping pools of one network: the same address in both ranges can only be
     * had through its reservation, so commits are refused after their pool write and take their
     * entries back while other writers write the same pools.
     */
    @Test
    void writersOnOverlappingPoolsNeverShareAnAddress() throws Exception {
        PoolKey wide = PoolKey.of(Cidr.parse("10.30.0.0/26"), "");
        PoolKey narrow = PoolKey.of(Cidr.parse("10.30.0.0/27"), "");
        try (MockCluster cluster = new MockCluster("overlap")) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                PoolKey key = t % 2 == 0 ? wide : narrow;
                int thread = t;
                results.add(pool.submit(() -> {
                    try (KubernetesIpamStore store = cluster.open()) {
                        for (int i = 0; i < 5; i++) {
                            Owner owner = new Owner("c" + thread + "-" + i, "net1", "ns/p" + thread + "-" + i);
                            TestAllocator.add(store, key, owner, true);
                            if (i % 2 == 1) {
                                TestAllocator.del(store, key, owner, true);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : results) {
                f.get(5, TimeUnit.MINUTES);
            }
            pool.shutdown();
            try (KubernetesIpamStore store = cluster.open()) {
                Map<IpAddress, String> held = new HashMap<>();
                for (PoolKey key : List.of(wide, narrow)) {
                    store.read(key).allocations().forEach((ip, owner) -> {
                        String before = held.put(ip, owner.podRef());
                        assertEquals(null, before, ip + " is held by " + before + " and " + owner.podRef());
                    });
                }
                assertEquals(8 * 3, held.size(), "three of each thread's five ADDs stay: " + held);
                assertEquals(held, store.reservations().stream()
                        .collect(Collectors.toMap(Reservation::ip, r -> r.owner().podRef())));
            }
        }
    }
}
