/**
 * The whereabouts engine: configuration loading, lowest-free allocation over any {@code IpamStore},
 * the attachment journal for CNI GC, and CNI results in every spec version. Only
 * {@code dev.whereabouts.ipam.engine} ({@code Ipam}, {@code IpamConfig}, {@code CniResult}) is
 * exported; everything else is an implementation detail.
 */
@SuppressWarnings("module") // the qualified export below names the bench module, absent from this build
module dev.whereabouts.ipam.engine {
    requires transitive dev.whereabouts.ipam.api;
    // Ipam.registerMetrics takes the caller's registry
    requires transitive dev.whereabouts.metrics;
    requires tools.jackson.databind;
    requires org.slf4j;

    exports dev.whereabouts.ipam.engine;
    // Only for the JMH benchmark of the allocator; not an API.
    exports dev.whereabouts.ipam.engine.alloc to dev.whereabouts.bench;

    uses dev.whereabouts.ipam.spi.StoreProvider;
}
