/** Benchmarks: JMH for the engine, load harnesses for the stores. */
module dev.whereabouts.bench {
    requires dev.whereabouts.ipam.api;
    // The engine benchmark measures the allocator directly; the engine exports its alloc package to
    // this module only.
    requires dev.whereabouts.ipam.engine;
    // The load harness counts store calls through the kit's forwarding store.
    requires dev.whereabouts.store.tck;
    requires jmh.core;

    // The load harness opens the etcd and kubernetes stores as the plugin does, by name.
    uses dev.whereabouts.ipam.spi.StoreProvider;
}
