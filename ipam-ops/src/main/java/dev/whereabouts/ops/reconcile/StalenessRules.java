package dev.whereabouts.ops.reconcile;

import dev.whereabouts.ipam.api.Allocation;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides whether an allocation's pod still uses it. The order of the checks is the point: every
 * state in which the pod may still be getting its network (upstream issues #162, #207) keeps the
 * address.
 */
final class StalenessRules {

    private final Duration podGrace;

    StalenessRules(Duration podGrace) {
        this.podGrace = podGrace;
    }

    Verdict judge(Allocation allocation, Optional<PodState> pod, Instant now) {
        if (pod.isEmpty()) {
            return new Verdict.Stale("pod no longer exists");
        }
        PodState p = pod.get();
        if (p.terminating() && p.evictedFromLostNode()) {
            // As upstream (PR #485): the taint manager is deleting a pod whose node is gone; its
            // replacement elsewhere needs the address more than the unreachable sandbox does.
            return new Verdict.Stale("pod is being evicted from an unreachable node");
        }
        if ("Pending".equals(p.phase())) {
            return new Verdict.Deferred("pod is pending");
        }
        if (p.created().plus(podGrace).isAfter(now)) {
            return new Verdict.Deferred("pod is younger than " + podGrace.toMinutes() + " minutes");
        }
        if (p.secondaryIps().isEmpty()) {
            return new Verdict.Deferred("pod has no readable network-status annotation");
        }
        if (p.secondaryIps().get().contains(allocation.ip())) {
            return new Verdict.InUse("listed in the pod's network-status");
        }
        if (p.defaultIps().contains(allocation.ip())) {
            // Whereabouts may serve the cluster network itself; never free what the pod uses.
            return new Verdict.InUse("the pod's default-network address");
        }
        return new Verdict.Stale("address not in the pod's network-status (pod uid " + p.uid() + ")");
    }
}
