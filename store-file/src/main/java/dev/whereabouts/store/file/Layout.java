package dev.whereabouts.store.file;

import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.PoolKey;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where each piece of state lives under the data directory (see the package documentation for the
 * reasons behind this layout).
 */
final class Layout {

    /** Stands for the empty network name; no valid name starts with {@code _}. */
    static final String DEFAULT_NETWORK = "_default";
    /** Prefix of files being written; no data file name starts with a dot. */
    static final String TEMP_PREFIX = ".tmp-";

    private final Path dataDir;
    private final Path pools;
    private final Path reservations;

    Layout(Path dataDir) {
        this.dataDir = dataDir;
        this.pools = dataDir.resolve("pools");
        this.reservations = dataDir.resolve("reservations");
    }

    Path dataDir() {
        return dataDir;
    }

    Path lockFile() {
        return dataDir.resolve("lock");
    }

    Path journal() {
        return dataDir.resolve("journal");
    }

    Path poolsDir() {
        return pools;
    }

    Path reservationsDir() {
        return reservations;
    }

    /** {@code pools/<network>/<range>} or {@code pools/<network>/<node>_<range>}. */
    Path poolFile(PoolKey key) {
        Names.checkScope("network_name", key.networkName());
        Names.checkScope("node_name", key.nodeName());
        String range = normalize(key.range().toString());
        String file = key.nodeName().isEmpty() ? range : key.nodeName() + "_" + range;
        return pools.resolve(networkDir(key.networkName())).resolve(file);
    }

    /** {@code reservations/<network>/<address>}. */
    Path reservationFile(String networkName, IpAddress ip) {
        Names.checkScope("network_name", networkName);
        return reservations.resolve(networkDir(networkName)).resolve(normalize(ip.toString()));
    }

    private static String networkDir(String networkName) {
        return networkName.isEmpty() ? DEFAULT_NETWORK : networkName;
    }

    /** The same text normalization upstream uses for object names: no {@code :} and no {@code /}. */
    static String normalize(String text) {
        String t = text.endsWith(":") ? text + "0" : text;
        return t.replace(':', '-').replace('/', '-');
    }

    /** A path as the journal records it: relative to the data directory, with {@code /} separators. */
    String relative(Path file) {
        Path rel = dataDir.relativize(file);
        return rel.toString().replace(rel.getFileSystem().getSeparator(), "/");
    }

    /**
     * Resolves a journal path, refusing anything that is not a data file of this store: a journal is
     * input read back from disk, and a damaged one must not make the store write elsewhere.
     */
    Path fromRelative(String rel) {
        String[] parts = rel.split("/", -1);
        boolean ok = parts.length == 3 && (parts[0].equals("pools") || parts[0].equals("reservations"));
        for (int i = 1; ok && i < parts.length; i++) {
            String p = parts[i];
            ok = !p.isEmpty() && !p.startsWith(".") && p.chars().allMatch(c -> c > 0x20 && c < 0x7F && c != '\\');
        }
        if (!ok) {
            throw new IllegalArgumentException("journal names a path outside the store: " + Names.printable(rel));
        }
        return dataDir.resolve(parts[0]).resolve(parts[1]).resolve(parts[2]);
    }

    /** Every pool file (temp files excluded). */
    List<Path> poolFiles() throws IOException {
        return filesUnder(pools);
    }

    /** Every reservation file (temp files excluded). */
    List<Path> reservationFiles() throws IOException {
        return filesUnder(reservations);
    }

    /** Directories that may hold leftovers of an interrupted write. */
    List<Path> writableDirs() throws IOException {
        List<Path> dirs = new ArrayList<>();
        dirs.add(dataDir);
        for (Path root : List.of(pools, reservations)) {
            dirs.add(root);
            dirs.addAll(children(root, true));
        }
        return dirs;
    }

    private static List<Path> filesUnder(Path root) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path dir : children(root, true)) {
            files.addAll(children(dir, false));
        }
        files.sort(null);
        return files;
    }

    private static List<Path> children(Path dir, boolean directories) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (!p.getFileName().toString().startsWith(".") && Files.isDirectory(p) == directories) {
                    out.add(p);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        return out;
    }
}
