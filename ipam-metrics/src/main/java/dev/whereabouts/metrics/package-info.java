/**
 * Prometheus metrics without dependencies: {@link dev.whereabouts.metrics.Counter},
 * {@link dev.whereabouts.metrics.Gauge}, {@link dev.whereabouts.metrics.GaugeCallback} (read when
 * scraped) and {@link dev.whereabouts.metrics.Histogram} (fixed buckets), each with labels, kept in a
 * {@link dev.whereabouts.metrics.MetricRegistry} and served by a
 * {@link dev.whereabouts.metrics.MetricsServer} as text format 0.0.4 on {@code GET /metrics}, on a
 * loopback address only ({@link dev.whereabouts.metrics.MetricsAddress}).
 *
 * <h2>Counting</h2>
 * Updates take no lock ({@code LongAdder}, atomics); the first use of a label combination makes its
 * series, later uses find it in a concurrent map. Keep label values to small, fixed sets (a command,
 * a CNI code, a reason), never an address or a pod name. A child whose labels are fixed can be kept in
 * a field to skip even the lookup.
 *
 * <h2>For a controller</h2>
 * <pre>{@code
 * // once, e.g. a static field: get-or-create on the process registry
 * static final Counter RELEASED = Metrics.counter("whereabouts_addresses_released_total",
 *         "Addresses a controller released.", "controller", "reason");
 *
 * RELEASED.labels("pod", "pod_deleted").inc();
 *
 * // in main: serve the process registry (the node daemon already does, see below)
 * Optional<MetricsAddress> at = MetricsAddress.parse(
 *         Objects.requireNonNullElse(System.getenv("WHEREABOUTS_METRICS_ADDRESS"), "127.0.0.1:19109"));
 * try (MetricsServer server = at.isPresent() ? MetricsServer.start(at.get(), Metrics.registry()) : null) {
 *     ...
 * }
 * }</pre>
 * A controller that runs inside the node daemon's process shares the daemon's endpoint; one that runs
 * as a process of its own serves its own (a different port when both share a network namespace).
 *
 * <h2>Names</h2>
 * {@code whereabouts_} first, the unit in the name ({@code _seconds}), {@code _total} on counters,
 * as Prometheus recommends. {@code docs/operations.md} lists every metric the project serves.
 */
package dev.whereabouts.metrics;
