package dev.whereabouts.store.file;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Addresses that host-local handed out in the data directory before this store took it over.
 *
 * <p>kube-node and node-annotation delegated to host-local, which keeps one file per address in
 * {@code <dataDir>/<network>}: named by the address, holding {@code containerId\r\nifName} (only the
 * container id before CNI 0.7). A node that switches binaries keeps its running pods, so these
 * addresses must stay taken, and a DEL of their container must free them. The store therefore reads
 * them as allocations of every pool whose range holds them, and deletes a file when its address is
 * released. Nothing new is ever written in this form.
 */
final class HostLocalFiles {

    /** One address host-local reserved: its file and its owner. */
    record Entry(Path file, Owner owner) {}

    private static final Logger LOG = LoggerFactory.getLogger(HostLocalFiles.class);

    private HostLocalFiles() {}

    /** The host-local reservations directly in {@code dir} whose address lies in {@code range}. */
    static Map<IpAddress, Entry> in(Path dir, Cidr range) throws IOException {
        Map<IpAddress, Entry> out = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                IpAddress ip = address(file.getFileName().toString());
                if (ip == null || !range.contains(ip) || !Files.isRegularFile(file)) {
                    continue;
                }
                owner(file).ifPresent(o -> out.put(ip, new Entry(file, o)));
            }
        } catch (NoSuchFileException e) {
            return out;
        }
        return out;
    }

    /**
     * The host-local reservation of {@code ip} directly in {@code dir}, probed by its name (host-local
     * names its files by the address's canonical text): one access(2) where {@link #in} lists the
     * whole directory, for a commit that only needs the addresses it writes.
     */
    static Optional<Entry> at(Path dir, IpAddress ip) throws IOException {
        Path file = dir.resolve(ip.toString());
        if (!Files.exists(file) || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return owner(file).map(o -> new Entry(file, o));
    }

    /** The address a file name stands for, or null for our own files, host-local's cursor and lock. */
    private static IpAddress address(String name) {
        // A cheap filter first: lock, journal, pools, reservations, last_reserved_ip.N and
        // kube-node.json all start with a letter that is no hex digit.
        if (name.isEmpty() || Character.digit(name.charAt(0), 16) < 0 && name.charAt(0) != ':') {
            return null;
        }
        try {
            return IpAddress.parse(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Optional<Owner> owner(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        String[] lines = text.split("\r\n|\n", -1);
        String id = lines[0].strip();
        String ifName = lines.length > 1 ? lines[1].strip() : "";
        if (id.isEmpty()) {
            // A reservation nobody can name stays taken: blocking an address beats handing it out twice.
            LOG.warn("host-local reservation {} names no container; kept as taken", file);
        }
        return Optional.of(new Owner(id, ifName, ""));
    }
}
