package dev.whereabouts.bench.fault;

import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.engine.NodeJournal;
import dev.whereabouts.ipam.spi.IpamStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One fault under load: callers run, the fault is injected and healed, the callers stop, the
 * daemon is given time to settle what it queued, and the store is read back. Nothing is cleaned up
 * on the way: no GC, no reconcile, no release by the suite.
 */
final class FaultScenario {

    /** How long each phase lasts, in milliseconds. */
    record Timing(long warmMillis, long faultMillis, long afterMillis, int callers) {}

    private static final long SETTLE_MILLIS = 30_000;

    private FaultScenario() {
    }

    static FaultResult run(FaultKind fault, FaultBackend backend, Node node, Path binary, Timing t, int index) {
        String prefix = fault.name().toLowerCase(Locale.ROOT).replace('_', '-');
        String config = """
                {"cniVersion":"1.0.0","name":"faults","type":"bridge","ipam":{"type":"whereabouts","range":"10.%d.0.0/24",\
                "daemon_socket":"%s","attachments_dir":"%s","store_timeout_ms":4000,"log_level":"error",%s}}"""
                .formatted(100 + index, node.socket(), node.attachments(), backend.ipamFields());
        long epoch = System.nanoTime();
        long healed;
        FaultLoad load = new FaultLoad(binary, config, prefix, epoch, t.callers());
        try (load) {
            FaultLoad.pause(t.warmMillis());
            if (fault == FaultKind.DAEMON_KILL) {
                node.kill();
                FaultLoad.pause(300);
                node.start();
            } else {
                backend.inject(fault);
                FaultLoad.pause(t.faultMillis());
                backend.heal(fault);
            }
            healed = System.nanoTime() - epoch;
            FaultLoad.pause(t.afterMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        load.log.write(node.attachments().resolveSibling(prefix + "-calls.tsv"), healed);
        long settling = System.nanoTime();
        int pending = settle(node.attachments());
        double drain = (System.nanoTime() - settling) / 1e9;
        Map<Integer, Long> codes = load.log.failed().stream()
                .collect(Collectors.groupingBy(CallLog.Call::code, Collectors.counting()));
        Map<String, String> live = load.ledger.live();
        List<String> leaked = new ArrayList<>();
        Map<String, String> held = new HashMap<>();
        try (IpamStore store = backend.open()) {
            for (PoolKey pool : store.pools()) {
                for (Map.Entry<IpAddress, Owner> e : store.read(pool).allocations().entrySet()) {
                    String container = e.getValue().containerId();
                    if (container.startsWith(prefix + "-")) {
                        held.put(container, e.getKey().toString());
                        if (!e.getKey().toString().equals(live.get(container))) {
                            leaked.add("allocation " + e.getKey() + " of " + container);
                        }
                    }
                }
            }
            for (Reservation r : store.reservations()) {
                String container = r.owner().containerId();
                if (container.startsWith(prefix + "-") && !r.ip().toString().equals(live.get(container))) {
                    leaked.add("reservation " + r.ip() + " of " + container);
                }
            }
        }
        List<String> lost = live.entrySet().stream().filter(e -> !e.getValue().equals(held.get(e.getKey())))
                .map(e -> e.getKey() + " " + e.getValue()).toList();
        return new FaultResult(fault, load.log.all().size(), codes, load.ledger.duplicates(), leaked, lost, pending,
                load.log.recovery(healed), drain);
    }

    /** Waits until the node journal has nothing unsettled (queued releases retried by the daemon). */
    private static int settle(Path attachments) {
        long deadline = System.nanoTime() + SETTLE_MILLIS * 1_000_000L;
        int left;
        while ((left = NodeJournal.at(attachments).unsettled().size()) > 0 && System.nanoTime() < deadline) {
            FaultLoad.pause(50);
        }
        return left;
    }
}
