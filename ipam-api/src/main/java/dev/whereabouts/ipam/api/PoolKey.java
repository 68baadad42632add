package dev.whereabouts.ipam.api;

import java.util.Objects;

/**
 * Identifies one pool: a range, the {@code network_name} it belongs to and, for node slices, the
 * node that owns the slice.
 *
 * <p>Two configurations with the same range and network name share a pool. The range is kept
 * canonical (host bits cleared), as upstream writes {@code spec.range}.
 *
 * @param range the pool's network, canonical
 * @param networkName the {@code network_name} ({@code ""} for none)
 * @param nodeName the node of a node slice ({@code ""} outside node-slice mode)
 * @since 0.1
 */
public record PoolKey(Cidr range, String networkName, String nodeName) {

    /** Canonicalizes the range and rejects nulls. */
    public PoolKey {
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(networkName, "networkName");
        Objects.requireNonNull(nodeName, "nodeName");
        range = range.canonical();
    }

    /** A pool outside node-slice mode. */
    public static PoolKey of(Cidr range, String networkName) {
        return new PoolKey(range, networkName, "");
    }

    /**
     * The object name upstream gives this pool: the normalized range, behind {@code node-} in
     * node-slice mode and behind {@code network_name-} for a named network. Examples:
     * {@code 10.0.0.0-8}, {@code test-10.0.0.0-8}, {@code testnetwork-testnode-10.0.0.0-8},
     * {@code caa5---64}.
     */
    public String objectName() {
        String name = ObjectNames.normalize(range.toString());
        if (!nodeName.isEmpty()) {
            name = nodeName + "-" + name;
        }
        if (!networkName.isEmpty()) {
            name = networkName + "-" + name;
        }
        return name;
    }

    @Override
    public String toString() {
        return objectName();
    }
}
