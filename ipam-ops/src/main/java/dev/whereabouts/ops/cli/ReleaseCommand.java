package dev.whereabouts.ops.cli;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolSnapshot;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ops.reconcile.PoolReleaser;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code release --ip IP} or {@code release --pod NS/NAME}: removes allocations through the same
 * read-and-commit loop as the reconciler, with their reservations in the same commit. A reservation
 * that no pool entry holds any more (a crash leftover) is removed as well. Refuses without
 * {@code --yes} after showing what it would do.
 */
final class ReleaseCommand {

    private static final int ATTEMPTS = 20;

    private final IpamStore store;

    ReleaseCommand(IpamStore store) {
        this.store = store;
    }

    int run(CtlArgs a, PrintStream out, PrintStream err) {
        var ipText = a.value("--ip");
        var pod = a.value("--pod");
        if (ipText.isPresent() == pod.isPresent()) {
            throw new CtlArgs.UsageException("release needs exactly one of --ip IP or --pod NAMESPACE/NAME");
        }
        IpAddress ip = null;
        if (ipText.isPresent()) {
            try {
                ip = IpAddress.parse(ipText.get());
            } catch (IllegalArgumentException e) {
                throw new CtlArgs.UsageException(e.getMessage());
            }
        }
        if (pod.isPresent() && !pod.get().contains("/")) {
            throw new CtlArgs.UsageException("--pod must be NAMESPACE/NAME");
        }
        var poolFilter = a.value("--pool");
        var networkFilter = a.value("--network");

        Map<PoolKey, List<Allocation>> plan = new LinkedHashMap<>();
        for (PoolSnapshot s : new Inventory(store).snapshots()) {
            if (poolFilter.isPresent() && !poolFilter.get().equals(s.key().objectName())
                    && !poolFilter.get().equals(s.key().range().toString())) {
                continue;
            }
            if (networkFilter.isPresent() && !networkFilter.get().equals(s.key().networkName())) {
                continue;
            }
            for (Allocation al : s.asList()) {
                if (ip != null ? al.ip().equals(ip) : al.owner().podRef().equals(pod.get())) {
                    plan.computeIfAbsent(s.key(), k -> new ArrayList<>()).add(al);
                }
            }
        }
        List<Reservation> leftovers = new ArrayList<>();
        for (Reservation r : store.reservations()) {
            boolean matches = ip != null ? r.ip().equals(ip) : r.owner().podRef().equals(pod.get());
            boolean network = networkFilter.isEmpty() || networkFilter.get().equals(r.networkName());
            boolean coveredByPlan = plan.entrySet().stream().anyMatch(e -> e.getKey().networkName().equals(r.networkName())
                    && e.getValue().stream().anyMatch(al -> al.ip().equals(r.ip())));
            if (matches && network && !coveredByPlan && poolFilter.isEmpty()) {
                leftovers.add(r);
            }
        }
        String subject = ip != null ? ip.toString() : pod.get();
        if (plan.isEmpty() && leftovers.isEmpty()) {
            err.println("error: no allocation or reservation of " + subject + " found");
            return Ctl.FAILED;
        }
        List<Map<String, Object>> rows = rows(plan, leftovers);
        if (!a.flag("--yes")) {
            print(a, out, rows);
            err.println("refusing to release " + rows.size() + " entr" + (rows.size() == 1 ? "y" : "ies")
                    + " of " + subject + " without --yes");
            return Ctl.USAGE;
        }
        List<String> failures = new ArrayList<>();
        Map<PoolKey, List<Allocation>> done = new LinkedHashMap<>();
        PoolReleaser releaser = new PoolReleaser(store, ATTEMPTS);
        for (var e : plan.entrySet()) {
            List<Allocation> gone = releaser.release(e.getKey(), e.getValue(), failures);
            if (!gone.isEmpty()) {
                done.put(e.getKey(), gone);
            }
        }
        List<Reservation> removed = new ArrayList<>();
        for (Reservation r : leftovers) {
            if (store.removeReservation(r)) {
                removed.add(r);
            }
        }
        List<Map<String, Object>> released = rows(done, removed);
        print(a, out, released);
        if (!a.json() && !released.isEmpty()) {
            out.println("released " + released.size() + " entr" + (released.size() == 1 ? "y" : "ies"));
        }
        for (String f : failures) {
            err.println("error: " + f);
        }
        return failures.isEmpty() ? Ctl.OK : Ctl.FAILED;
    }

    private static List<Map<String, Object>> rows(Map<PoolKey, List<Allocation>> plan, List<Reservation> leftovers) {
        List<Map<String, Object>> rows = new ArrayList<>();
        plan.forEach((k, list) -> list.forEach(al -> {
            Map<String, Object> r = Inventory.allocationRow(k, al);
            r.put("kind", "allocation");
            rows.add(r);
        }));
        for (Reservation r : leftovers) {
            rows.add(Output.row("pool", "", "ip", r.ip().toString(), "pod", r.owner().podRef(),
                    "container", r.owner().containerId(), "interface", r.owner().ifName(),
                    "kind", "reservation " + r.objectName()));
        }
        return rows;
    }

    private static void print(CtlArgs a, PrintStream out, List<Map<String, Object>> rows) {
        if (a.json()) {
            Output.json(out, rows);
        } else {
            Output.table(out, rows, "nothing released");
        }
    }
}
