package dev.whereabouts.ipam.api;

import java.util.Objects;

/**
 * A cluster-wide claim on one address within a network name, independent of any pool. It is what
 * keeps two overlapping ranges (say {@code 10.0.0.0/24} and {@code 10.0.0.0/28}) from handing the
 * same address to two pods: upstream's {@code OverlappingRangeIPReservation}.
 *
 * @param networkName the {@code network_name} scope ({@code ""} for the default network)
 * @param ip the reserved address
 * @param owner who holds it
 * @since 0.1
 */
public record Reservation(String networkName, IpAddress ip, Owner owner) {

    /** Rejects nulls. */
    public Reservation {
        Objects.requireNonNull(networkName, "networkName");
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(owner, "owner");
    }

    /**
     * The object name upstream gives this reservation: the normalized address text, prefixed with
     * {@code network_name-} when a network name is set ({@code 2001:db8::} becomes
     * {@code 2001-db8--0}).
     */
    public String objectName() {
        String ip = ObjectNames.normalize(this.ip.toString());
        return networkName.isEmpty() ? ip : networkName + "-" + ip;
    }
}
