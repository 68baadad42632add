/**
 * The cluster controllers of whereabouts: the per-node pod controller, which releases a deleted pod's
 * addresses at once instead of at the reconciler's next run, and the node-slice controller, which
 * keeps one {@code NodeSlicePool} per node-slice network. Both run from the plugin binary
 * ({@code whereabouts controller pods|node-slices}); {@link dev.whereabouts.controllers.Controllers}
 * is the entry.
 */
module dev.whereabouts.controllers {
    requires transitive dev.whereabouts.ipam.api;
    requires dev.whereabouts.ops;
    requires dev.whereabouts.metrics;
    // Stores through the engine's registry, clients through the Kubernetes store's one factory.
    requires dev.whereabouts.ipam.engine;
    requires dev.whereabouts.store.kubernetes;
    requires tools.jackson.databind;
    // fabric8 8.0.0 ships no module descriptors; these are the names the JDK derives from the jars.
    requires kubernetes.client.api;
    requires kubernetes.client;
    requires kubernetes.model.core;
    requires kubernetes.model.common;
    requires kubernetes.model.coordination;
    requires org.slf4j;

    exports dev.whereabouts.controllers;
}
