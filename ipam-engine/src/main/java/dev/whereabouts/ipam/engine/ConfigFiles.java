package dev.whereabouts.ipam.engine;

import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.engine.config.FlatFile;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads configuration files as the plugin reads its flat file ({@code whereabouts.conf}), for tools
 * that take one outside a CNI call: the operator CLI's {@code --config}, the reconciler's schedule,
 * the controllers' {@code --flat-file}. One reader means one set of errors, and none of them quotes
 * the file: an error may end up where the file's reader should not see its content (credentials).
 *
 * @since 0.1
 */
public final class ConfigFiles {

    /** Where the installer writes the flat file on a node, and the plugin's second place to look. */
    public static final String NODE_FLAT_FILE = "/etc/cni/net.d/whereabouts.d/whereabouts.conf";

    private ConfigFiles() {}

    /**
     * The file's JSON object as plain values ({@link Map}, {@link java.util.List}, {@link String},
     * {@link Number}, {@link Boolean}, {@code null}).
     *
     * @throws IpamException code 5 when the file cannot be read, 6 when it is not a JSON object
     */
    public static Map<String, Object> read(Path file) {
        return FlatFile.read(file);
    }
}
