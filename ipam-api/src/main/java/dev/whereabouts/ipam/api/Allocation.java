package dev.whereabouts.ipam.api;

import java.util.Objects;

/**
 * One address held by one owner inside a pool.
 *
 * @param ip the allocated address
 * @param owner who holds it
 * @since 0.1
 */
public record Allocation(IpAddress ip, Owner owner) {

    /** Rejects nulls. */
    public Allocation {
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(owner, "owner");
    }
}
