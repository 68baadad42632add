package dev.whereabouts.ipam.api;

import java.util.Objects;

/**
 * An opaque version of a pool as a store last saw it: a Kubernetes {@code resourceVersion}, an etcd
 * mod revision, a file generation. The engine only hands it back to the store's conditional write.
 *
 * @param token the store's version text; {@code ""} means the pool does not exist yet
 * @since 0.1
 */
public record PoolVersion(String token) {

    /** The version of a pool that does not exist: a conditional write with it creates the pool. */
    public static final PoolVersion ABSENT = new PoolVersion("");

    /** Rejects null. */
    public PoolVersion {
        Objects.requireNonNull(token, "token");
    }

    /** Whether this is {@link #ABSENT}. */
    public boolean absent() {
        return token.isEmpty();
    }
}
