package dev.whereabouts.store.etcd;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.Reservation;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The text values stored in etcd: one field per line, {@code %} and newline escaped. Plain lines
 * keep {@code etcdctl get --prefix /whereabouts} readable for an operator and need no JSON library.
 */
final class Values {

    private Values() {}

    static ByteSequence owner(Owner o) {
        return join(o.containerId(), o.ifName(), o.podRef());
    }

    static ByteSequence pool(PoolKey k) {
        return join(k.range().toString(), k.networkName(), k.nodeName());
    }

    static ByteSequence reservation(Reservation r) {
        Owner o = r.owner();
        return join(r.networkName(), r.ip().toString(), o.containerId(), o.ifName(), o.podRef());
    }

    static Owner owner(KeyValue kv) {
        List<String> f = fields(kv, 3);
        return new Owner(f.get(0), f.get(1), f.get(2));
    }

    static PoolKey pool(KeyValue kv) {
        List<String> f = fields(kv, 3);
        try {
            return new PoolKey(Cidr.parse(f.get(0)), f.get(1), f.get(2));
        } catch (IllegalArgumentException e) {
            throw corrupt(kv, e.getMessage());
        }
    }

    static Reservation reservation(KeyValue kv) {
        List<String> f = fields(kv, 5);
        try {
            return new Reservation(f.get(0), IpAddress.parse(f.get(1)), new Owner(f.get(2), f.get(3), f.get(4)));
        } catch (IllegalArgumentException e) {
            throw corrupt(kv, e.getMessage());
        }
    }

    private static ByteSequence join(String... fields) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                sb.append('\n');
            }
            sb.append(fields[i].replace("%", "%25").replace("\n", "%0A"));
        }
        return ByteSequence.from(sb.toString(), StandardCharsets.UTF_8);
    }

    private static List<String> fields(KeyValue kv, int count) {
        String[] raw = kv.getValue().toString(StandardCharsets.UTF_8).split("\n", -1);
        if (raw.length != count) {
            throw corrupt(kv, "expected " + count + " lines, found " + raw.length);
        }
        List<String> out = new ArrayList<>(count);
        for (String r : raw) {
            out.add(r.replace("%0A", "\n").replace("%25", "%"));
        }
        return out;
    }

    private static IpamException corrupt(KeyValue kv, String why) {
        return new IpamException(IpamException.IO_FAILURE, "corrupt datastore entry",
                "etcd key '" + kv.getKey().toString(StandardCharsets.UTF_8) + "': " + why);
    }
}
