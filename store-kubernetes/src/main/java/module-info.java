/**
 * Kubernetes CRD store, wire-compatible with upstream whereabouts: {@code IPPool} and
 * {@code OverlappingRangeIPReservation} objects of {@code whereabouts.cni.cncf.io/v1alpha1}, written
 * with optimistic concurrency on {@code resourceVersion} instead of upstream's cluster-wide Lease.
 * The store is found through {@link java.util.ServiceLoader}; the only export is the Kubernetes
 * client factory ({@code dev.whereabouts.store.kubernetes.client}).
 */
module dev.whereabouts.store.kubernetes {
    // transitive: the client factory takes a StoreConfig (the section holding kubernetes).
    requires transitive dev.whereabouts.ipam.api;
    // fabric8 8.0.0 ships no module descriptors; these are the names the JDK derives from the jars.
    // The client factory hands out KubernetesClient, so its readers need the fabric8 API too.
    requires transitive kubernetes.client.api;
    requires kubernetes.client;
    requires kubernetes.model.core;
    requires kubernetes.model.common;
    requires io.fabric8.kubernetes.client.jdkhttp;
    // fabric8's jars are automatic modules, which do not pull explicit modules into the graph; the
    // Jackson 3 and YAML modules they load at run time are named here so the module path has them.
    requires tools.jackson.databind;
    requires tools.jackson.dataformat.yaml;
    requires com.fasterxml.jackson.annotation;
    requires java.net.http;
    // the start-up warm-up's stand-in API server on a loopback port (LoopbackApi)
    requires jdk.httpserver;
    requires org.slf4j;

    // The one client factory, shared with the reconciler, the operator CLI and the controllers.
    exports dev.whereabouts.store.kubernetes.client;

    provides dev.whereabouts.ipam.spi.StoreProvider with dev.whereabouts.store.kubernetes.KubernetesStoreProvider;
}
