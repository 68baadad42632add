package dev.whereabouts.ipam.engine.config;

import dev.whereabouts.ipam.engine.LogLevel;
import dev.whereabouts.ipam.api.IpAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The {@code ipam} section after the flat file was merged in and every field was checked.
 *
 * @param ranges the top-level {@code range} (entry 0, when set) followed by {@code ipRanges}
 * @param gateway the top-level {@code gateway}
 * @param routes {@code routes} as written
 * @param dns {@code dns} as written (empty when absent)
 * @param addresses static {@code addresses}, then {@code IP=} of {@code CNI_ARGS}
 * @param networkName {@code network_name} or {@code ""}
 * @param overlappingRanges {@code enable_overlapping_ranges} (inline only, default true)
 * @param nodeSliceSize prefix length of a node slice when {@code node_slice_size} is set
 * @param nodeRanges {@code node_ranges}: ranges taken from the Node object, when set
 * @param ipv4Namespaces {@code ipv4_namespaces}: when set, only pods of these namespaces get IPv4
 * @param logFile {@code log_file}
 * @param logLevel {@code log_level}, default {@code debug}
 * @param reconcilerCronExpression {@code reconciler_cron_expression} or {@code ""}
 * @param configurationPath {@code configuration_path} after the merge
 * @param datastore {@code datastore}, default {@code kubernetes}
 * @param daemonSocket {@code daemon_socket}, default {@code /run/whereabouts/daemon.sock}
 * @param attachmentsDir {@code attachments_dir}, default {@code /var/lib/cni/whereabouts/attachments}
 * @param storeTimeout {@code store_timeout_ms}, default 10 s: the budget of one ADD or DEL
 * @param flatFile the flat file that was merged, if any
 * @param section the merged section as plain values, for the store
 */
public record IpamSection(List<RangeConfig> ranges, Optional<IpAddress> gateway, List<Map<String, Object>> routes,
        Map<String, Object> dns, List<StaticAddress> addresses, String networkName, boolean overlappingRanges,
        OptionalInt nodeSliceSize, Optional<NodeRangesConfig> nodeRanges,
        Optional<Ipv4Namespaces> ipv4Namespaces, Optional<Path> logFile, LogLevel logLevel, String reconcilerCronExpression,
        Optional<String> configurationPath, String datastore, Path daemonSocket, Path attachmentsDir,
        Duration storeTimeout, Optional<Path> flatFile, Map<String, Object> section) {

    /** The {@code datastore} of a section that names none, as upstream: the Kubernetes CRD store. */
    public static final String DEFAULT_DATASTORE = "kubernetes";

    /** Copies the lists. */
    public IpamSection {
        ranges = List.copyOf(ranges);
        routes = List.copyOf(routes);
        addresses = List.copyOf(addresses);
    }

    /** {@code kubernetes.kubeconfig}, if set. */
    public Optional<String> kubeconfig() {
        return new Fields(section, "").object("kubernetes").flatMap(k -> k.string("kubeconfig"));
    }
}
