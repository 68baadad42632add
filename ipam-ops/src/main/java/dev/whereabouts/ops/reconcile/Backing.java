package dev.whereabouts.ops.reconcile;

import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolSnapshot;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.spi.IpamStore;
import java.util.List;

/** Whether a pool entry backs a reservation: same network name, same address, same holder. */
final class Backing {

    private Backing() {}

    static boolean backed(Reservation r, List<PoolSnapshot> pools) {
        for (PoolSnapshot s : pools) {
            if (backs(s, r)) {
                return true;
            }
        }
        return false;
    }

    static boolean backedNow(Reservation r, IpamStore store) {
        for (PoolKey key : store.pools()) {
            if (key.networkName().equals(r.networkName()) && key.range().contains(r.ip()) && backs(store.read(key), r)) {
                return true;
            }
        }
        return false;
    }

    private static boolean backs(PoolSnapshot s, Reservation r) {
        if (!s.key().networkName().equals(r.networkName())) {
            return false;
        }
        Owner o = s.allocations().get(r.ip());
        if (o == null) {
            return false;
        }
        // Upstream's reservation objects carry no container id, and entries written before v0.8 no
        // interface name: the pod reference alone is enough to call the entry the reservation's.
        return o.sameAttachment(r.owner())
                || (!o.podRef().isEmpty() && o.podRef().equals(r.owner().podRef()));
    }
}
