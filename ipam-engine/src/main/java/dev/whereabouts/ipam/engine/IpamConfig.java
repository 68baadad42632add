package dev.whereabouts.ipam.engine;

import dev.whereabouts.ipam.api.AttachmentId;
import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.engine.config.NetworkConfig;
import dev.whereabouts.ipam.engine.config.RangeConfig;
import dev.whereabouts.ipam.spi.StoreConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A loaded, validated network configuration, made by {@link Ipam#load}. Immutable and safe to
 * share between threads.
 */
public final class IpamConfig {

    /** Where the node daemon listens unless {@code daemon_socket} says otherwise (a compile-time constant: the client inlines it). */
    public static final String DEFAULT_DAEMON_SOCKET = "/run/whereabouts/daemon.sock";

    private final NetworkConfig network;

    IpamConfig(NetworkConfig network) {
        this.network = network;
    }

    NetworkConfig network() {
        return network;
    }

    /** The configuration's {@code cniVersion} ({@code "0.1.0"} when absent). */
    public String cniVersion() {
        return network.cniVersion();
    }

    /** The CNI network {@code name}. */
    public String name() {
        return network.name();
    }

    /** The {@code datastore} that selects the store provider (default {@code kubernetes}). */
    public String datastore() {
        return network.ipam().datastore();
    }

    /** The node daemon's socket ({@code daemon_socket}, default {@code /run/whereabouts/daemon.sock}). */
    public Path daemonSocket() {
        return network.ipam().daemonSocket();
    }

    /** The node journal of attachments ({@code attachments_dir}). */
    public Path attachmentsDir() {
        return network.ipam().attachmentsDir();
    }

    /** {@code log_file}, if set. */
    public Optional<Path> logFile() {
        return network.ipam().logFile();
    }

    /** {@code log_level} in lower case: {@code debug} (default), {@code verbose}, {@code error} or {@code panic}. */
    public LogLevel logLevel() {
        return network.ipam().logLevel();
    }

    /** The attachments a CNI GC keeps ({@code cni.dev/valid-attachments}, else {@code cni.dev/attachments}). */
    public List<AttachmentId> validAttachments() {
        return network.validAttachments();
    }

    /** The pod reference from {@code CNI_ARGS} ({@code namespace/name}), or {@code ""}. */
    public String podRef() {
        return network.args().podRef();
    }

    /** {@code network_name}, or {@code ""}. */
    public String networkName() {
        return network.ipam().networkName();
    }

    /** The ranges allocated from, in result order. */
    public List<Cidr> ranges() {
        return network.ipam().ranges().stream().map(RangeConfig::range).toList();
    }

    /** {@code enable_overlapping_ranges} (default true). */
    public boolean overlappingRanges() {
        return network.ipam().overlappingRanges();
    }

    /** {@code reconciler_cron_expression}, or {@code ""}. */
    public String reconcilerCronExpression() {
        return network.ipam().reconcilerCronExpression();
    }

    /** The flat file ({@code whereabouts.conf}) that was merged in, if one was found. */
    public Optional<Path> flatFile() {
        return network.ipam().flatFile();
    }

    /** The merged {@code ipam} section as the store sees it. */
    public StoreConfig storeConfig() {
        return new StoreConfig(network.ipam().section());
    }

    /** The merged {@code ipam} section as plain values. */
    public Map<String, Object> section() {
        return network.ipam().section();
    }

    @Override
    public String toString() {
        return "IpamConfig[name=" + name() + ", cniVersion=" + cniVersion() + ", datastore=" + datastore()
                + ", ranges=" + ranges() + "]";
    }
}
