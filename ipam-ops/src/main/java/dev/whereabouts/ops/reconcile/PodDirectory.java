package dev.whereabouts.ops.reconcile;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where the reconciler looks pods up. The Kubernetes implementation is {@link KubernetesPodDirectory};
 * the interface keeps the reconciler's rules independent of the client library.
 *
 * @since 0.1
 */
public interface PodDirectory {

    /**
     * The pod called {@code podRef} ({@code namespace/name}) as it is now, or empty when no such pod
     * exists.
     *
     * @throws dev.whereabouts.ipam.api.StoreUnavailableException when the cluster cannot be asked
     */
    Optional<PodState> find(String podRef);

    /**
     * Looks up many pods at once; a pod that does not exist has no entry in the result. The default
     * asks {@link #find} for each one; implementations may batch.
     */
    default Map<String, PodState> findAll(Collection<String> podRefs) {
        Map<String, PodState> out = new HashMap<>();
        for (String ref : podRefs) {
            find(ref).ifPresent(p -> out.put(ref, p));
        }
        return out;
    }
}
