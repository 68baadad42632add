package dev.whereabouts.ipam.engine.config;

import dev.whereabouts.ipam.api.IpamException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The node's flat configuration file ({@code whereabouts.conf}) and its merge into the inline
 * {@code ipam} section.
 *
 * <p>Unlike upstream, a missing file is fine: an inline section that names everything it needs
 * works without one (upstream fails ADD and DEL with {@code config file not found}).
 */
public final class FlatFile {

    /** Upstream's search locations after the inline {@code configuration_path}. */
    static final List<Path> DEFAULT_LOCATIONS = List.of(
            Path.of("/etc/kubernetes/cni/net.d/whereabouts.d/whereabouts.conf"),
            Path.of(dev.whereabouts.ipam.engine.ConfigFiles.NODE_FLAT_FILE),
            Path.of("/host" + dev.whereabouts.ipam.engine.ConfigFiles.NODE_FLAT_FILE));

    private FlatFile() {}

    /**
     * The first existing file of: the inline {@code configuration_path} (a file, or a directory
     * holding {@code whereabouts.conf}), then {@code locations}. No layering: the first one wins.
     */
    static Optional<Path> find(Optional<String> configurationPath, List<Path> locations) {
        List<Path> candidates = new ArrayList<>();
        configurationPath.ifPresent(p -> {
            Path path = Path.of(p);
            candidates.add(Files.isDirectory(path) ? path.resolve("whereabouts.conf") : path);
        });
        candidates.addAll(locations);
        return candidates.stream().filter(Files::isRegularFile).findFirst();
    }

    /**
     * Reads a flat file as a JSON object: code 5 when it cannot be read, 6 when it is not a JSON
     * object. The error never quotes the file's content.
     */
    public static Map<String, Object> read(Path path) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            // upstream's words for a flat file that is not there
            throw new IpamException(IpamException.IO_FAILURE, "config file not found @ " + path, "", e);
        } catch (IOException e) {
            throw new IpamException(IpamException.IO_FAILURE,
                    "error opening flat configuration file @ " + path + " with: " + e.getMessage(), "", e);
        }
        return Json.parseObject(bytes, "LoadIPAMConfig Flatfile (" + path + ")");
    }

    /**
     * Deep "fill only empty" merge: inline values win, flat values fill keys that are missing or
     * zero inline (null, "", 0, false, empty list or object), recursing into objects such as
     * {@code kubernetes}. {@code enable_overlapping_ranges} is never taken from the flat file, as
     * upstream.
     */
    static Map<String, Object> merge(Map<String, Object> inline, Map<String, Object> flat, boolean top) {
        Map<String, Object> out = new LinkedHashMap<>(inline);
        for (Map.Entry<String, Object> e : flat.entrySet()) {
            String key = e.getKey();
            if (top && key.equalsIgnoreCase("enable_overlapping_ranges")) {
                continue;
            }
            String inlineKey = inline.keySet().stream().filter(k -> k.equalsIgnoreCase(key)).findFirst().orElse(null);
            Object mine = inlineKey == null ? null : inline.get(inlineKey);
            if (mine instanceof Map<?, ?> m && e.getValue() instanceof Map<?, ?> f) {
                out.put(inlineKey, merge(cast(m), cast(f), false));
            } else if (isZero(mine)) {
                if (inlineKey != null) {
                    out.remove(inlineKey);
                }
                out.put(key, e.getValue());
            }
        }
        return out;
    }

    private static boolean isZero(Object v) {
        return v == null
                || (v instanceof String s && s.isEmpty())
                || (v instanceof Number n && n.doubleValue() == 0)
                || (v instanceof Boolean b && !b)
                || (v instanceof List<?> l && l.isEmpty())
                || (v instanceof Map<?, ?> m && m.isEmpty());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }
}
