/** Benchmarks: JMH for the engine, load harnesses for the stores, the cluster burst. */
module dev.whereabouts.bench {
    requires dev.whereabouts.ipam.api;
    // The engine benchmark measures the allocator directly; the engine exports its alloc package to
    // this module only.
    requires dev.whereabouts.ipam.engine;
    // The load harness counts store calls through the kit's forwarding store.
    requires dev.whereabouts.store.tck;
    requires jmh.core;
    // fabric8's mock API server (automatic modules). Static: the harnesses run on the class path,
    // and only the mock-server classes compile against it.
    requires static kubernetes.server.mock;
    requires static mockwebserver;
    // The burst reads etcd's JSON gateway and quiets gRPC's java.util.logging in its read-back clients.
    requires java.net.http;
    requires java.logging;

    // The load harness opens the etcd and kubernetes stores as the plugin does, by name.
    uses dev.whereabouts.ipam.spi.StoreProvider;
}
