package dev.whereabouts.ops;

import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.engine.ConfigFiles;
import dev.whereabouts.ipam.spi.StoreConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Turns an operator's config file into the {@code ipam} section that names the store. The file is
 * either an {@code ipam} section ({@code {"datastore":"file","file":{...}}}), the flat
 * {@code whereabouts.conf}, a whole network configuration (its {@code ipam} is used) or a conf list
 * (the first plugin whose {@code ipam.type} is {@code whereabouts}).
 *
 * <p>The file is read by the engine's reader ({@link ConfigFiles}), the store is opened through the
 * engine's registry ({@link dev.whereabouts.ipam.engine.StoreProviders}) and the cluster is reached
 * through the Kubernetes store's client factory
 * ({@link dev.whereabouts.store.kubernetes.client.KubernetesClients}), so that an operator's tools
 * find what the plugin finds.
 *
 * @since 0.1
 */
public final class OpsConfig {

    /** Where the installer writes the flat file on every node. */
    public static final Path DEFAULT_FLAT_FILE = Path.of(ConfigFiles.NODE_FLAT_FILE);

    private OpsConfig() {}

    /**
     * The {@code ipam} section of the file, as plain JSON values.
     *
     * @throws IpamException code 5 when it cannot be read, 6 when it is not a JSON object
     */
    @SuppressWarnings("unchecked")
    public static StoreConfig read(Path file) {
        Map<String, Object> top = ConfigFiles.read(file);
        if (top.get("ipam") instanceof Map<?, ?> ipam) {
            return new StoreConfig((Map<String, Object>) ipam);
        }
        if (top.get("plugins") instanceof List<?> plugins) {
            for (Object p : plugins) {
                if (p instanceof Map<?, ?> plugin && plugin.get("ipam") instanceof Map<?, ?> ipam
                        && "whereabouts".equals(ipam.get("type"))) {
                    return new StoreConfig((Map<String, Object>) ipam);
                }
            }
        }
        return new StoreConfig(top);
    }
}
