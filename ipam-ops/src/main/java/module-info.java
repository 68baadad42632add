/**
 * Cluster operations for whereabouts: the reconciler (stale allocations and leftover reservations),
 * its cron schedule and cluster Lease, the operator CLI ({@code whereabouts ctl}) and the node
 * installer ({@code whereabouts install}).
 */
module dev.whereabouts.ops {
    requires transitive dev.whereabouts.ipam.api;
    requires dev.whereabouts.ipam.engine;
    requires tools.jackson.databind;
    // fabric8 8.0.0 ships no module descriptors; these are the names the JDK derives from the jars.
    requires transitive kubernetes.client.api;
    requires kubernetes.client;
    requires kubernetes.model.core;
    requires kubernetes.model.common;
    requires kubernetes.model.coordination;
    requires io.fabric8.kubernetes.client.jdkhttp;
    requires org.slf4j;

    exports dev.whereabouts.ops;
    exports dev.whereabouts.ops.reconcile;
    exports dev.whereabouts.ops.schedule;
    exports dev.whereabouts.ops.cli;
    exports dev.whereabouts.ops.install;

    uses dev.whereabouts.ipam.spi.StoreProvider;
}
