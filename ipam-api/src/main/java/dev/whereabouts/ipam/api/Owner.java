package dev.whereabouts.ipam.api;

import java.util.Objects;

/**
 * Who holds an address: the CNI attachment and, on Kubernetes, the pod.
 *
 * <p>The attachment is the CNI runtime's key {@code (CNI_CONTAINERID, CNI_IFNAME)}; DEL and GC release
 * by it. The pod reference {@code namespace/name} comes from {@code K8S_POD_NAMESPACE} and
 * {@code K8S_POD_NAME}; it is empty when the runtime is not Kubernetes.
 *
 * @param containerId the CNI container id of the attachment that last claimed the address
 * @param ifName the interface name inside the container (may be empty in entries written by old
 *     upstream versions)
 * @param podRef {@code namespace/name}, or the empty string outside Kubernetes
 * @since 0.1
 */
public record Owner(String containerId, String ifName, String podRef) {

    /** Rejects nulls; empty strings are allowed. */
    public Owner {
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(ifName, "ifName");
        Objects.requireNonNull(podRef, "podRef");
    }

    /** The CNI attachment key of this owner. */
    public AttachmentId attachment() {
        return new AttachmentId(containerId, ifName);
    }

    /** This owner with another container id: an idempotent re-ADD moves an entry to the new sandbox. */
    public Owner withContainerId(String newContainerId) {
        return new Owner(newContainerId, ifName, podRef);
    }

    /**
     * Whether {@code other} is the same attachment for allocation purposes. With pod references on
     * both sides, the pod and interface decide (so a re-created sandbox of the same pod gets its
     * address back, as upstream does); otherwise container id and interface decide. An empty
     * interface name on either side matches any interface: upstream before v0.8 wrote entries
     * without one, and those must still be found by their pod (re-ADD) or container (DEL).
     */
    public boolean sameAttachment(Owner other) {
        if (!podRef.isEmpty() && !other.podRef.isEmpty()) {
            return podRef.equals(other.podRef) && sameInterface(ifName, other.ifName);
        }
        return containerId.equals(other.containerId) && sameInterface(ifName, other.ifName);
    }

    static boolean sameInterface(String a, String b) {
        return a.equals(b) || a.isEmpty() || b.isEmpty();
    }
}
