package dev.whereabouts.hammer;

import dev.whereabouts.ipam.api.AttachmentId;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolSnapshot;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.engine.Ipam;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** One hammer run: start the store, run and kill workers, then check. */
final class HammerRun implements Callable<HammerReport> {

    private final HammerOptions options;
    private final Random random;

    HammerRun(HammerOptions options) {
        this.options = options;
        this.random = new Random(options.seed());
    }

    @Override
    public HammerReport call() throws Exception {
        Path work = Files.createDirectories(options.workDir());
        try (HammerBackend backend = HammerBackend.start(options.store(), work)) {
            int killed;
            if (options.plugin() == null) {
                killed = runWorkers(writeConfigs(backend, work, work.resolve("no-daemon.sock")), work);
            } else {
                try (PluginDaemon daemon = PluginDaemon.start(options.plugin(), work)) {
                    killed = runWorkers(writeConfigs(backend, work, daemon.socket), work);
                }
            }
            List<List<OpLog.Entry>> journals = new ArrayList<>();
            for (int w = 0; w < options.workers(); w++) {
                journals.add(OpLog.read(journal(work, w)));
            }
            HammerChecker.Journals seen = HammerChecker.readJournals(journals);
            return check(backend, work, seen, killed);
        }
    }

    /** The network configuration of each worker: one, or with {@code --overlap} two over the same addresses. */
    private List<Path> writeConfigs(HammerBackend backend, Path work, Path daemonSocket) throws Exception {
        List<Path> configs = new ArrayList<>();
        for (int prefix : prefixes()) {
            Path config = work.resolve("network-" + prefix + ".json");
            Files.writeString(config, networkConfig(backend, List.of(), daemonSocket, prefix));
            configs.add(config);
        }
        return configs;
    }

    private List<Integer> prefixes() {
        return options.overlap() ? List.of(options.prefix(), options.prefix() + 1) : List.of(options.prefix());
    }

    private int runWorkers(List<Path> configs, Path work) throws Exception {
        int perWorker = Math.max(1, options.operations() / options.workers());
        Process[] workers = new Process[options.workers()];
        for (int w = 0; w < workers.length; w++) {
            workers[w] = startWorker(configs.get(w % configs.size()), work, w, perWorker);
        }
        int killed = 0;
        long nextKill = System.nanoTime() + killGapNanos(workers.length, workers.length);
        while (true) {
            List<Integer> running = new ArrayList<>();
            for (int w = 0; w < workers.length; w++) {
                if (workers[w].isAlive()) {
                    running.add(w);
                } else if (workers[w].exitValue() != 0) {
                    throw new IllegalStateException("worker " + w + " failed with exit " + workers[w].exitValue()
                            + "; see " + work.resolve("worker-" + w + ".err"));
                }
            }
            if (running.isEmpty()) {
                return killed;
            }
            if (options.killsPerSecond() <= 0 || System.nanoTime() < nextKill) {
                Thread.sleep(20);
                continue;
            }
            int victim = running.get(random.nextInt(running.size()));
            if (workers[victim].isAlive()) {
                workers[victim].destroyForcibly().waitFor();
                killed++;
                workers[victim] = startWorker(configs.get(victim % configs.size()), work, victim, perWorker);
            }
            nextKill = System.nanoTime() + killGapNanos(running.size(), workers.length);
        }
    }

    /**
     * Exponential gaps, so kills land at random moments, inside operations as often as between them.
     * The rate is per worker: as workers finish, the last ones are not killed over and over.
     */
    private long killGapNanos(int running, int all) {
        if (options.killsPerSecond() <= 0) {
            return Long.MAX_VALUE / 2;
        }
        double rate = options.killsPerSecond() * running / all;
        return (long) (-Math.log(1 - random.nextDouble()) * 1e9 / rate);
    }

    private Process startWorker(Path config, Path work, int worker, int operations) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), HammerWorker.class.getName(),
                config.toString(), Integer.toString(worker), Long.toString(options.seed()),
                Integer.toString(operations), journal(work, worker).toString()));
        if (options.plugin() != null) {
            cmd.add(options.plugin().toString());
        }
        return new ProcessBuilder(cmd)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.appendTo(work.resolve("worker-" + worker + ".err").toFile()))
                .start();
    }

    private HammerReport check(HammerBackend backend, Path work, HammerChecker.Journals seen, int killed)
            throws Exception {
        List<String> violations = new ArrayList<>(seen.duplicates());
        violations.addAll(seen.unstable());
        try (Ipam ipam = Ipam.withDiscoveredStores()) {
            Map<IpAddress, Owner> before = storedAllocations(backend, seen.live(), new ArrayList<>());
            List<String> lost = HammerChecker.lost(seen.live(), before);
            violations.addAll(lost);
            for (int prefix : prefixes()) {
                Path gcConfig = work.resolve("network-gc-" + prefix + ".json");
                Files.writeString(gcConfig, networkConfig(backend, List.copyOf(seen.live().keySet()),
                        work.resolve("no-daemon.sock"), prefix));
                ipam.gc(ipam.load(Files.readAllBytes(gcConfig), "", Map.of()));
            }
            int reclaimed;
            try (var store = StoreAccess.open(backend)) {
                reclaimed = LeftoverSweep.run(store, seen.live(), storedAllocations(backend, seen.live(), new ArrayList<>()));
            }
            List<String> leaked = new ArrayList<>();
            Map<IpAddress, Owner> after = storedAllocations(backend, seen.live(), leaked);
            leaked.addAll(HammerChecker.leaked(seen.live(), after, storedReservations(backend)));
            violations.addAll(leaked);
            return new HammerReport(seen.operations(), seen.adds(), seen.dels(), killed,
                    seen.duplicates().size() + seen.unstable().size(), lost.size(), leaked.size(), reclaimed,
                    violations);
        }
    }

    /**
     * Every pool's entries. An address that two pools give to different owners goes to
     * {@code inTwoPools}, and the owner the journals call live is the one kept.
     */
    private Map<IpAddress, Owner> storedAllocations(HammerBackend backend, Map<AttachmentId, IpAddress> live,
            List<String> inTwoPools) {
        try (var store = StoreAccess.open(backend)) {
            Map<IpAddress, Owner> all = new HashMap<>();
            for (var key : store.pools()) {
                PoolSnapshot snapshot = store.read(key);
                snapshot.allocations().forEach((ip, owner) -> {
                    Owner other = all.putIfAbsent(ip, owner);
                    if (other != null && !other.equals(owner)) {
                        inTwoPools.add(ip + " is in two pools, for " + other.attachment() + " and " + owner.attachment());
                        if (ip.equals(live.get(owner.attachment()))) {
                            all.put(ip, owner);
                        }
                    }
                });
            }
            return all;
        }
    }

    private Set<IpAddress> storedReservations(HammerBackend backend) {
        try (var store = StoreAccess.open(backend)) {
            return store.reservations().stream().map(Reservation::ip).collect(Collectors.toCollection(HashSet::new));
        }
    }

    private String networkConfig(HammerBackend backend, List<AttachmentId> valid, Path daemonSocket, int prefix) {
        String attachments = valid.stream()
                .map(a -> "{\"containerID\":\"" + a.containerId() + "\",\"ifname\":\"" + a.ifName() + "\"}")
                .collect(Collectors.joining(","));
        return """
                {"cniVersion":"1.1.0","name":"hammer","type":"bridge",
                 "cni.dev/valid-attachments":[%s],
                 "ipam":{"type":"whereabouts","range":"10.88.0.0/%d","daemon_socket":"%s",
                  "attachments_dir":"%s",%s}}
                """.formatted(attachments, prefix, daemonSocket,
                options.workDir().resolve("attachments"), backend.ipamFields());
    }

    private static Path journal(Path work, int worker) {
        return work.resolve("worker-" + worker + ".journal");
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
