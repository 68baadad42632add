/**
 * Metrics for whereabouts processes: counters, gauges and fixed-bucket histograms with labels, the
 * Prometheus text exposition format 0.0.4 and a {@code GET /metrics} endpoint on loopback only.
 * Depends on nothing outside the JDK; see {@code dev.whereabouts.metrics} for how to use it.
 */
module dev.whereabouts.metrics {
    requires jdk.httpserver;

    exports dev.whereabouts.metrics;
}
