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
 * @param storeTimeout {@code store_timeout_ms} if set: the budget of every ADD, DEL and GC; see
 *     {@link #addBudget()} and {@link #releaseBudget()} for the defaults
 * @param flatFile the flat file that was merged, if any
 * @param section the merged section as plain values, for the store
 */
public record IpamSection(List<RangeConfig> ranges, Optional<IpAddress> gateway, List<Map<String, Object>> routes,
        Map<String, Object> dns, List<StaticAddress> addresses, String networkName, boolean overlappingRanges,
        OptionalInt nodeSliceSize, Optional<NodeRangesConfig> nodeRanges,
        Optional<Ipv4Namespaces> ipv4Namespaces, Optional<Path> logFile, LogLevel logLevel, String reconcilerCronExpression,
        Optional<String> configurationPath, String datastore, Path daemonSocket, Path attachmentsDir,
        Optional<Duration> storeTimeout, Optional<Path> flatFile, Map<String, Object> section) {

    /** The {@code datastore} of a section that names none, as upstream: the Kubernetes CRD store. */
    public static final String DEFAULT_DATASTORE = "kubernetes";
    /** Upstream's {@code AddTimeLimit}: how long an ADD may wait in line for a contended pool. */
    public static final Duration ADD_TIME_LIMIT = Duration.ofMinutes(2);
    /** Upstream's {@code DelTimeLimit}, also used for GC and for undoing a failed ADD. */
    public static final Duration DEL_TIME_LIMIT = Duration.ofMinutes(1);

    /**
     * The budget of one ADD, retries and waiting for a contended pool included, then code 11. An
     * unreachable store does not spend it: each store call fails on its own timeout. So the budget
     * only bounds contention, and a burst waits in line as upstream's ADD waits for its Lease,
     * instead of failing pods the runtime then recreates from scratch.
     */
    public Duration addBudget() {
        return storeTimeout.orElse(ADD_TIME_LIMIT);
    }

    /** The budget of one DEL or GC, and of undoing a failed ADD. */
    public Duration releaseBudget() {
        return storeTimeout.orElse(DEL_TIME_LIMIT);
    }

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
