package dev.whereabouts.ipam.engine.config;

import dev.whereabouts.ipam.api.IpamException;
import java.util.List;

/** The CNI spec versions the plugin speaks, matched as exact strings as the CNI library does. */
public final class CniVersions {

    /** Every supported version, oldest first. */
    public static final List<String> SUPPORTED = dev.whereabouts.ipam.engine.CniSpec.SUPPORTED;

    private CniVersions() {}

    /**
     * Checks membership.
     *
     * @throws IpamException code 1 when the version is not supported
     */
    public static String require(String version) {
        if (!SUPPORTED.contains(version)) {
            throw new IpamException(IpamException.INCOMPATIBLE_VERSION, "incompatible CNI versions",
                    "config is \"" + version + "\", plugin supports " + SUPPORTED);
        }
        return version;
    }

    /** Whether the version predates the {@code ips} list (0.1.0, 0.2.0). */
    public static boolean legacy(String version) {
        return version.equals("0.1.0") || version.equals("0.2.0");
    }
}
