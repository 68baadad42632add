package dev.whereabouts.controllers.nad;

import dev.whereabouts.ipam.api.Cidr;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What the controllers need from a whereabouts NAD: its ranges, its {@code network_name} and, in
 * node-slice mode, the slice length.
 *
 * @param nadRef {@code namespace/name} of the NAD
 * @param cniName the CNI config's {@code name}
 * @param networkName {@code ipam.network_name}, {@code ""} when unset
 * @param ranges the canonical CIDR of every range ({@code range}, then {@code ipRanges[*].range})
 * @param sliceSize {@code ipam.node_slice_size} as a prefix length, when set and readable
 * @param sliceSizeText {@code ipam.node_slice_size} as written, {@code ""} when unset
 */
public record NadIpam(String nadRef, String cniName, String networkName, List<Cidr> ranges, OptionalInt sliceSize,
        String sliceSizeText) {

    /** Copies the list. */
    public NadIpam {
        Objects.requireNonNull(nadRef, "nadRef");
        Objects.requireNonNull(cniName, "cniName");
        Objects.requireNonNull(networkName, "networkName");
        ranges = List.copyOf(ranges);
        Objects.requireNonNull(sliceSize, "sliceSize");
        Objects.requireNonNull(sliceSizeText, "sliceSizeText");
    }

    /** The {@code NodeSlicePool} name the plugin reads: {@code network_name}, else the CNI name. */
    public String slicePoolName() {
        return networkName.isEmpty() ? cniName : networkName;
    }

    /** Whether {@code range} is one of this network's ranges or a slice of one. */
    public boolean covers(Cidr range) {
        return ranges.stream().anyMatch(r -> r.contains(range));
    }
}
