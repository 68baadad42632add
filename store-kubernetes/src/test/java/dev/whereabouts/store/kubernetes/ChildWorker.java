package dev.whereabouts.store.kubernetes;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One plugin process of the multi-process test: ADDs and DELs through its own client, and writes
 * the addresses it was given (one {@code owner ip held} line each) to a result file.
 */
final class ChildWorker {

    static final PoolKey POOL = PoolKey.of(Cidr.parse("10.77.0.0/24"), "");

    private ChildWorker() {}

    /** Runs {@code ops} ADDs as worker {@code name}, releasing every second one again. */
    static List<String> work(IpamStore store, String name, int ops) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < ops; i++) {
            Owner owner = new Owner(name + "-ctr-" + i, "net1", "ns/" + name + "-" + i);
            IpAddress ip = TestAllocator.add(store, POOL, owner, true);
            boolean held = i % 2 == 0;
            if (!held && !TestAllocator.del(store, POOL, owner, true)) {
                throw new IllegalStateException(owner + " lost " + ip + " before its DEL");
            }
            lines.add(owner.podRef() + " " + ip + " " + held);
        }
        return lines;
    }

    public static void main(String[] args) throws IOException {
        Path kubeconfig = Path.of(args[0]);
        String name = args[1];
        int ops = Integer.parseInt(args[2]);
        Path result = Path.of(args[3]);
        StoreConfig config = new StoreConfig(Map.of("kubernetes", Map.of("kubeconfig", kubeconfig.toString())));
        try (IpamStore store = new KubernetesStoreProvider().open(config)) {
            Files.write(result, work(store, name, ops));
        }
    }
}
