package dev.whereabouts.ipam.engine;

import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.engine.config.NetworkConfig;
import dev.whereabouts.ipam.spi.NodeRangeSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How this node's name is found, first match wins:
 * <ol>
 *   <li>{@code NODENAME} (the rest of the plugin), then {@code NODE_NAME} (kube-node's variable);</li>
 *   <li>the first line of {@code <configuration_path>/nodename}, which the installer writes because
 *       short host names differ from node names;</li>
 *   <li>the Node whose {@code status.nodeInfo.machineID} is this host's {@code /etc/machine-id}, as
 *       kube-node finds it (host names may repeat across nodes, machine ids do not);</li>
 *   <li>{@code /etc/hostname}.</li>
 * </ol>
 */
final class NodeNames {

    private static final Logger LOG = LoggerFactory.getLogger(NodeNames.class);
    static final Path HOSTNAME = Path.of("/etc/hostname");
    static final Path MACHINE_ID = Path.of("/etc/machine-id");

    private NodeNames() {}

    static String resolve(NetworkConfig n, Supplier<NodeRangeSource> nodes) {
        return resolve(n, nodes, MACHINE_ID, HOSTNAME);
    }

    static String resolve(NetworkConfig n, Supplier<NodeRangeSource> nodes, Path machineId, Path hostname) {
        for (String variable : new String[] {"NODENAME", "NODE_NAME"}) {
            String env = n.env().get(variable);
            if (env != null && !env.isBlank()) {
                return env.strip();
            }
        }
        Optional<String> dir = n.ipam().configurationPath();
        if (dir.isPresent()) {
            Path p = Path.of(dir.get());
            Optional<String> name = firstLine((Files.isDirectory(p) ? p : p.toAbsolutePath().getParent())
                    .resolve("nodename"));
            if (name.isPresent()) {
                return name.get();
            }
        }
        Optional<String> id = firstLine(machineId);
        if (id.isPresent()) {
            try {
                Optional<String> byId = nodes.get().nodeWithMachineId(id.get());
                if (byId.isPresent()) {
                    return byId.get();
                }
            } catch (IpamException e) {
                // the host name may still be right; the store's own errors surface on the next read
                LOG.debug("no node by machine id {}: {}", id.get(), e.getMessage());
            }
        }
        return firstLine(hostname).orElseThrow(() -> new IpamException(IpamException.INVALID_ENVIRONMENT,
                "could not determine the node name",
                "set NODENAME or NODE_NAME, or write <configuration_path>/nodename"));
    }

    private static Optional<String> firstLine(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            return Files.readAllLines(file).stream().map(String::strip).filter(s -> !s.isEmpty()).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
