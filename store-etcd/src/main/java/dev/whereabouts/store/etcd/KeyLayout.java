package dev.whereabouts.store.etcd;

import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.PoolKey;
import io.etcd.jetcd.ByteSequence;
import java.nio.charset.StandardCharsets;

/**
 * Where each value lives under the configured prefix; see the package documentation for the
 * layout and why it is shaped so.
 */
final class KeyLayout {

    private final String prefix;

    KeyLayout(String prefix) {
        this.prefix = prefix;
    }

    String prefix() {
        return prefix;
    }

    /** Holds the pool's key fields; its mod revision is the pool's version. */
    ByteSequence meta(PoolKey key) {
        return bytes(prefix + "/pools/" + segment(key.objectName()));
    }

    /** The name of the lock that orders a contended pool's writers (etcd's lock service adds a suffix per waiter). */
    ByteSequence lock(PoolKey key) {
        return bytes(prefix + "/locks/" + segment(key.objectName()));
    }

    /** The range that holds every pool's meta key. */
    ByteSequence allPools() {
        return bytes(prefix + "/pools/");
    }

    /** The range that holds one pool's allocations. */
    ByteSequence allocations(PoolKey key) {
        return bytes(prefix + "/allocations/" + segment(key.objectName()) + "/");
    }

    ByteSequence allocation(PoolKey key, IpAddress ip) {
        return bytes(prefix + "/allocations/" + segment(key.objectName()) + "/" + hex(ip));
    }

    ByteSequence reservation(String networkName, IpAddress ip) {
        return bytes(prefix + "/reservations/" + network(networkName) + "/" + ip);
    }

    ByteSequence allReservations() {
        return bytes(prefix + "/reservations/");
    }

    /** The address of an allocation key written by {@link #allocation}. */
    static IpAddress addressOf(ByteSequence key) {
        String k = key.toString(StandardCharsets.UTF_8);
        String hex = k.substring(k.lastIndexOf('/') + 1);
        if (hex.length() == 8) {
            return IpAddress.ofV4(Long.parseUnsignedLong(hex, 16));
        }
        if (hex.length() == 32) {
            return IpAddress.ofV6(Long.parseUnsignedLong(hex.substring(0, 16), 16),
                    Long.parseUnsignedLong(hex.substring(16), 16));
        }
        throw new IllegalArgumentException("not an allocation key: " + k);
    }

    /** Fixed width, so that etcd's byte order of keys is address order within a pool. */
    static String hex(IpAddress ip) {
        return ip.v6() ? "%016x%016x".formatted(ip.high(), ip.low()) : "%08x".formatted(ip.low());
    }

    /** {@code _} for the default network; a real name never encodes to it (a leading _ is escaped). */
    private static String network(String name) {
        if (name.isEmpty()) {
            return "_";
        }
        String s = segment(name);
        return s.startsWith("_") ? "%5F" + s.substring(1) : s;
    }

    /** Escapes what would change the key's shape: the separator and the escape character. */
    private static String segment(String text) {
        return text.replace("%", "%25").replace("/", "%2F");
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    /** The first key after every key that starts with {@code prefix}: etcd's range end for a prefix. */
    static ByteSequence rangeEnd(ByteSequence prefix) {
        byte[] b = prefix.getBytes();
        for (int i = b.length - 1; i >= 0; i--) {
            if (b[i] != (byte) 0xff) {
                byte[] end = java.util.Arrays.copyOf(b, i + 1);
                end[i]++;
                return ByteSequence.from(end);
            }
        }
        return ByteSequence.from(new byte[] {0});
    }
}
