/** Benchmarks: JMH for the engine, load harnesses for the stores. */
module dev.whereabouts.bench {
    requires dev.whereabouts.ipam.api;
}
