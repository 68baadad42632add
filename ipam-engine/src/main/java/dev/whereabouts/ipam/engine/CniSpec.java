package dev.whereabouts.ipam.engine;

import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.engine.config.Json;
import java.util.Arrays;
import java.util.List;

/**
 * The CNI spec versions this plugin speaks, in one place. The list is a compile-time constant so that
 * the per-call client, which may load nothing but {@code java.base}, can answer VERSION from it.
 *
 * @since 0.2
 */
public final class CniSpec {

    /** Every supported version, oldest first, as the JSON list of a VERSION answer. */
    public static final String SUPPORTED_JSON = "[\"0.1.0\",\"0.2.0\",\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\",\"1.1.0\"]";

    /** The newest supported version: what errors are written in when the config names none we speak. */
    public static final String NEWEST = "1.1.0";

    /** The answer to VERSION (the Go library ignores stdin for it and names its own version). */
    public static final String VERSION_REPLY = "{\"cniVersion\":\"" + NEWEST + "\",\"supportedVersions\":" + SUPPORTED_JSON + "}\n";

    /**
     * The largest network configuration accepted on stdin. A real one is a few kilobytes; anything
     * near this is a mistake or an attack, and answering it costs memory in a shared daemon.
     */
    public static final int MAX_CONFIG_BYTES = 1 << 20;

    /** The message of the code-6 answer to a larger one, on every path (the shell forwarder's too). */
    public static final String OVERSIZE_MSG = "network configuration is over the limit of " + MAX_CONFIG_BYTES + " bytes";

    /** The message of the code-6 answer to stdin holding a NUL byte, on every path. */
    public static final String NUL_MSG = "network configuration holds a NUL byte";

    /** {@link #SUPPORTED_JSON} as a list. */
    public static final List<String> SUPPORTED = Arrays.stream(SUPPORTED_JSON.replaceAll("[\\[\\]\"]", "").split(","))
            .toList();

    private CniSpec() {}

    /**
     * The version to write an error in: the config's own when it names one this plugin speaks (0.1.0
     * when it names none, as the CNI library reads it), else {@link #NEWEST}. Only an error reply
     * needs this; a call that gets as far as loading its configuration knows its version.
     */
    public static String replyVersion(byte[] stdin) {
        try {
            Object v = Json.parseConfig(stdin).get("cniVersion");
            if (v == null) {
                return "0.1.0";
            }
            return v instanceof String s && supported(s) ? s : NEWEST;
        } catch (IpamException e) {
            return NEWEST;
        }
    }

    /** Exact string membership, as the CNI library checks it. */
    public static boolean supported(String version) {
        return SUPPORTED.contains(version);
    }

    /**
     * Checks that a supported {@code version} allows {@code command}: CHECK came with 0.4.0, GC and
     * STATUS with 1.1.0.
     *
     * @throws IpamException code 1 otherwise
     */
    public static void requireCommand(String command, String version) {
        String min = switch (command) {
            case "CHECK" -> "0.4.0";
            case "GC", "STATUS" -> "1.1.0";
            default -> "0.1.0";
        };
        if (SUPPORTED.indexOf(version) < SUPPORTED.indexOf(min)) {
            throw new IpamException(IpamException.INCOMPATIBLE_VERSION, "config version does not allow " + command,
                    "config is \"" + version + "\"");
        }
    }
}
