package dev.whereabouts.ops.reconcile;

import dev.whereabouts.ipam.api.IpAddress;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the reconciler needs to know about one pod, taken from the cluster after the pools were read.
 *
 * @param podRef {@code namespace/name}
 * @param uid the pod's UID (a pod re-created under the same name has a new one)
 * @param created the pod's creation time
 * @param phase {@code Pending}, {@code Running}, {@code Succeeded}, {@code Failed} or {@code Unknown}
 * @param terminating whether the pod has a deletion timestamp
 * @param evictedFromLostNode whether the pod is being deleted by the taint manager because its node
 *     stopped answering (condition {@code DisruptionTarget=True}, reason {@code DeletionByTaintManager})
 * @param secondaryIps the addresses of every non-default entry of the
 *     {@code k8s.v1.cni.cncf.io/network-status} annotation, or empty when the annotation is missing or
 *     unreadable (which the reconciler treats as "not known yet", never as "no addresses")
 * @param defaultIps the addresses of the default-network entries of that annotation
 * @since 0.1
 */
public record PodState(String podRef, String uid, Instant created, String phase, boolean terminating,
        boolean evictedFromLostNode, Optional<Set<IpAddress>> secondaryIps, Set<IpAddress> defaultIps) {

    /** Copies the sets and rejects nulls. */
    public PodState {
        Objects.requireNonNull(podRef, "podRef");
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(phase, "phase");
        secondaryIps = Objects.requireNonNull(secondaryIps, "secondaryIps").map(Set::copyOf);
        defaultIps = Set.copyOf(defaultIps);
    }
}
