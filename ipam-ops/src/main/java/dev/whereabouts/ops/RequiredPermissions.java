package dev.whereabouts.ops;

import java.util.List;
import java.util.Set;

/**
 * Every Kubernetes API permission whereabouts-java uses, in one place: the RBAC manifests under
 * {@code deploy/} must grant all of them (a test checks), and {@code docs/operations.md} lists them.
 * When code starts calling another verb or resource, add it here first.
 *
 * @since 0.1
 */
public final class RequiredPermissions {

    /** Whether a permission is needed in the store's namespace only or cluster-wide. */
    public enum Scope {
        /** Objects in the whereabouts namespace (pools, reservations, leases): a Role suffices. */
        NAMESPACE,
        /** Objects in every namespace or cluster-scoped ones (pods, nodes, events): a ClusterRole. */
        CLUSTER
    }

    /**
     * One (API group, resource, verbs) triple and who needs it.
     *
     * @param apiGroup {@code ""} for the core group
     * @param resource the plural resource name
     * @param verbs the verbs
     * @param scope where
     * @param usedBy the component and call that needs it
     */
    public record Permission(String apiGroup, String resource, Set<String> verbs, Scope scope, String usedBy) {
        /** Copies the verbs. */
        public Permission {
            verbs = Set.copyOf(verbs);
        }
    }

    /** The API group of the three custom resources. */
    public static final String WHEREABOUTS_GROUP = "whereabouts.cni.cncf.io";

    /** Multus' API group, of {@code network-attachment-definitions}. */
    public static final String NAD_GROUP = "k8s.cni.cncf.io";

    /** The Lease that makes one reconciler active at a time. */
    public static final String RECONCILER_LEASE = "whereabouts-reconciler";

    private static final Set<String> CRD_VERBS = Set.of("get", "list", "create", "update", "patch", "delete");

    /** The full list. */
    public static final List<Permission> ALL = List.of(
            new Permission(WHEREABOUTS_GROUP, "ippools", CRD_VERBS, Scope.NAMESPACE,
                    "store-kubernetes: read, create and update pools with resourceVersion checks; list for pools()"),
            new Permission(WHEREABOUTS_GROUP, "overlappingrangeipreservations", CRD_VERBS, Scope.NAMESPACE,
                    "store-kubernetes: create/delete reservations, list for reservations(), removeReservation"),
            new Permission(WHEREABOUTS_GROUP, "nodeslicepools", CRD_VERBS, Scope.NAMESPACE,
                    "store-kubernetes: node slices (NodeRangeSource.nodeSlice reads them)"),
            new Permission(WHEREABOUTS_GROUP, "nodeslicepools", Set.of("watch"), Scope.NAMESPACE,
                    "node-slice controller: informer on the pools, so that a hand edit is undone"),
            new Permission("", "nodes", Set.of("get"), Scope.CLUSTER,
                    "store-kubernetes: NodeRangeSource.node reads the node's annotation and podCIDRs;"
                    + " pod controller: checks that NODENAME names a Node"),
            new Permission("", "nodes", Set.of("list", "watch"), Scope.CLUSTER,
                    "store-kubernetes: nodeWithMachineId lists nodes to find this host's;"
                    + " node-slice controller: informer on nodes (a slice per node)"),
            new Permission("", "pods", Set.of("get", "list"), Scope.CLUSTER,
                    "reconciler: KubernetesPodDirectory looks up the pods that pools reference; pod controller:"
                    + " is the deleted pod's name in use again"),
            new Permission("", "pods", Set.of("list", "watch"), Scope.CLUSTER,
                    "pod controller: informer on the pods of its node"),
            new Permission(NAD_GROUP, "network-attachment-definitions", Set.of("get"), Scope.CLUSTER,
                    "pod controller: the NADs a deleted pod's network-status names"),
            new Permission(NAD_GROUP, "network-attachment-definitions", Set.of("list", "watch"), Scope.CLUSTER,
                    "node-slice controller: informer on NADs with node_slice_size; ctl migration-check lists them"),
            new Permission("", "events", Set.of("create"), Scope.CLUSTER,
                    "pod controller: IPAddressGarbageCollected and IPAddressGarbageCollectionFailed on pods"),
            new Permission("coordination.k8s.io", "leases", Set.of("get", "watch", "create", "update"), Scope.NAMESPACE,
                    "reconciler: ReconcilerLease '" + RECONCILER_LEASE + "' (optimistic updates); store-kubernetes:"
                    + " PoolTurnLeases 'whereabouts-turn-<pool>' while a pool is contended (watched by name while waiting); node-slice controller:"
                    + " Lease 'whereabouts-node-slice-controller' (one active replica)"));

    private RequiredPermissions() {}
}
