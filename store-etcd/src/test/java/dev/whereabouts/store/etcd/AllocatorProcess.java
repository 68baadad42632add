package dev.whereabouts.store.etcd;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * A child JVM of {@link MultiProcessTest}: interleaved ADDs and DELs against one pool, each success
 * logged to a file ({@code ADD ip container} / {@code DEL ip container}) for the parent's checker.
 * It returns from {@code main} without {@code System.exit}, so the process only ends if closing
 * the store left no thread that keeps a JVM alive.
 *
 * <p>Arguments: endpoint, prefix, pool CIDR, child id, operations, log file.
 */
public final class AllocatorProcess {

    private AllocatorProcess() {}

    public static void main(String[] args) throws IOException {
        String endpoint = args[0];
        String prefix = args[1];
        PoolKey pool = PoolKey.of(Cidr.parse(args[2]), "mp");
        int id = Integer.parseInt(args[3]);
        int ops = Integer.parseInt(args[4]);
        Path log = Path.of(args[5]);
        // Generous: eight JVMs start at once on a small machine, and class loading counts against the first call.
        Map<String, Object> cfg = new HashMap<>(Map.of("etcd_host", endpoint, "etcd_prefix", prefix, "etcd_timeout_ms", 30_000));
        Random random = new Random(id);
        List<IpAddress> held = new ArrayList<>();
        Map<IpAddress, Owner> owners = new HashMap<>();
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(log), true);
                IpamStore store = new EtcdStoreProvider().open(new StoreConfig(cfg))) {
            Allocator allocator = new Allocator(store, pool);
            for (int n = 0; n < ops; n++) {
                boolean add = held.isEmpty() || random.nextInt(3) != 0;
                try {
                    if (add) {
                        Owner owner = new Owner("p" + id + "-" + n, "net1", "ns/p" + id + "-" + n);
                        Optional<IpAddress> ip = allocator.add(owner);
                        if (ip.isPresent()) {
                            held.add(ip.get());
                            owners.put(ip.get(), owner);
                            out.println("ADD " + ip.get() + " " + owner.containerId());
                        }
                    } else {
                        IpAddress ip = held.remove(random.nextInt(held.size()));
                        allocator.del(ip, owners.get(ip));
                        out.println("DEL " + ip + " " + owners.remove(ip).containerId());
                    }
                } catch (IpamException e) {
                    out.println("ERR " + e.code() + " " + e.details().replace('\n', ' '));
                }
            }
        }
    }
}
