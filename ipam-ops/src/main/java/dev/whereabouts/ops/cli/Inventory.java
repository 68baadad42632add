package dev.whereabouts.ops.cli;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolSnapshot;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.spi.IpamStore;
import java.io.PrintStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The read-only commands: {@code pools}, {@code show}, {@code who}. */
final class Inventory {

    private final IpamStore store;

    Inventory(IpamStore store) {
        this.store = store;
    }

    List<PoolSnapshot> snapshots() {
        List<PoolSnapshot> out = new ArrayList<>();
        for (PoolKey k : store.pools().stream().sorted(Comparator.comparing(PoolKey::objectName)).toList()) {
            PoolSnapshot s = store.read(k);
            if (s.exists()) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * Size counts the addresses the allocator could ever hand out in the range: all but the network
     * and the last address. range_start, range_end, excludes and the gateway are not subtracted,
     * because they live in the NetworkAttachmentDefinitions, which the store does not know.
     */
    int pools(CtlArgs a, PrintStream out) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (PoolSnapshot s : snapshots()) {
            BigInteger size = s.key().range().size().subtract(BigInteger.TWO).max(BigInteger.ZERO);
            BigInteger used = BigInteger.valueOf(s.allocations().size());
            rows.add(Output.row("name", s.key().objectName(), "range", s.key().range().toString(),
                    "network", s.key().networkName(), "node", s.key().nodeName(),
                    "size", a.json() ? size : size.toString(), "used", a.json() ? used : used.toString(),
                    "free", a.json() ? size.subtract(used) : size.subtract(used).toString()));
        }
        if (a.json()) {
            Output.json(out, rows);
        } else {
            Output.table(out, rows, "no pools");
        }
        return Ctl.OK;
    }

    int show(CtlArgs a, PrintStream out, PrintStream err) {
        String which = a.word(1, "pool name or range");
        List<PoolSnapshot> matches = snapshots().stream()
                .filter(s -> s.key().objectName().equals(which) || s.key().range().toString().equals(which))
                .toList();
        if (matches.isEmpty()) {
            err.println("error: no pool named or covering exactly " + which + " (see 'whereabouts ctl pools')");
            return Ctl.FAILED;
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (PoolSnapshot s : matches) {
            for (Allocation al : s.asList()) {
                rows.add(allocationRow(s.key(), al));
            }
        }
        if (a.json()) {
            Output.json(out, rows);
        } else {
            Output.table(out, rows, "no allocations");
        }
        return Ctl.OK;
    }

    int who(CtlArgs a, PrintStream out, PrintStream err) {
        String text = a.word(1, "IP address");
        IpAddress ip;
        try {
            ip = IpAddress.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CtlArgs.UsageException(e.getMessage());
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (PoolSnapshot s : snapshots()) {
            var owner = s.allocations().get(ip);
            if (owner != null) {
                Map<String, Object> r = allocationRow(s.key(), new Allocation(ip, owner));
                r.put("kind", "allocation");
                rows.add(r);
            }
        }
        for (Reservation r : store.reservations()) {
            if (r.ip().equals(ip)) {
                rows.add(Output.row("pool", "", "ip", ip.toString(), "pod", r.owner().podRef(),
                        "container", r.owner().containerId(), "interface", r.owner().ifName(),
                        "kind", "reservation " + r.objectName()));
            }
        }
        if (a.json()) {
            Output.json(out, rows);
        } else if (rows.isEmpty()) {
            err.println("nobody holds " + ip);
        } else {
            Output.table(out, rows, "");
        }
        return rows.isEmpty() ? Ctl.FAILED : Ctl.OK;
    }

    static Map<String, Object> allocationRow(PoolKey pool, Allocation a) {
        return Output.row("pool", pool.objectName(), "ip", a.ip().toString(), "pod", a.owner().podRef(),
                "container", a.owner().containerId(), "interface", a.owner().ifName());
    }
}
