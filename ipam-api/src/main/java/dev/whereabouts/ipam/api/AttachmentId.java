package dev.whereabouts.ipam.api;

import java.util.Objects;

/**
 * The CNI runtime's key for one interface of one container: {@code (CNI_CONTAINERID, CNI_IFNAME)}.
 * DEL releases by it and CNI GC lists the valid ones.
 *
 * @param containerId the CNI container id
 * @param ifName the interface name inside the container
 * @since 0.1
 */
public record AttachmentId(String containerId, String ifName) {

    /**
     * The CNI library's rule for container ids and network names, which also makes them safe as file
     * names: {@code ^[a-zA-Z0-9][a-zA-Z0-9_.\-]*$}.
     *
     * @since 0.2
     */
    public static final java.util.regex.Pattern ID_PATTERN = java.util.regex.Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$");

    /** Rejects nulls. */
    public AttachmentId {
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(ifName, "ifName");
    }

    /**
     * Whether {@code owner} is this attachment. An owner without an interface name (upstream before
     * v0.8 wrote such entries) belongs to every attachment of its container.
     */
    public boolean owns(Owner owner) {
        return containerId.equals(owner.containerId()) && Owner.sameInterface(ifName, owner.ifName());
    }

    @Override
    public String toString() {
        return containerId + "/" + ifName;
    }
}
