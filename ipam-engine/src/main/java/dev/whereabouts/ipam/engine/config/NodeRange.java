package dev.whereabouts.ipam.engine.config;

import java.util.Objects;
import java.util.Optional;

/**
 * One range a Node gives out, before it is checked: a bare CIDR ({@code spec.podCIDRs}, kube-node's
 * comma list) or a host-local range ({@code subnet}, {@code rangeStart}, {@code rangeEnd},
 * {@code gateway}) from node-annotation's format. {@link NodeRangesConfig#rangeFor} checks it.
 *
 * @param subnet the CIDR as written
 * @param start {@code rangeStart} as written
 * @param end {@code rangeEnd} as written
 * @param gateway {@code gateway} as written
 */
public record NodeRange(String subnet, Optional<String> start, Optional<String> end, Optional<String> gateway) {

    /** Checks for nulls. */
    public NodeRange {
        Objects.requireNonNull(subnet, "subnet");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(gateway, "gateway");
    }

    /** A bare CIDR. */
    public static NodeRange of(String cidr) {
        return new NodeRange(cidr.strip(), Optional.empty(), Optional.empty(), Optional.empty());
    }
}
