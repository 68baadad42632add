package dev.whereabouts.bench.burst;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The node daemons' own time per call, from the histogram every daemon exports
 * ({@value #SERIES}: from the request read to the reply ready). It is the part of a call's latency
 * spent in the daemon, without the exec, the shell forwarder and the wait to be accepted; an operator
 * reads the same series from a node. Percentiles are interpolated linearly within the bucket they
 * fall in, as Prometheus' {@code histogram_quantile} does, so they are estimates at the buckets'
 * resolution (0.5, 1, 2.5, 5, 10, 25 ms …).
 *
 * @param cumulative for one command, each bucket's upper bound in seconds (the last one infinite)
 *     to the number of calls at or below it
 */
record DaemonLatency(TreeMap<Double, Long> cumulative) {

    /** The histogram's bucket series. */
    static final String SERIES = "whereabouts_cni_call_duration_seconds_bucket";
    /** The prefix of the buckets among a phase's {@code requests}: {@code daemon-seconds ADD 0.005}. */
    static final String PREFIX = "daemon-seconds ";

    private static final Pattern BUCKET = Pattern.compile(
            Pattern.quote(SERIES) + "\\{command=\"([A-Z]+)\",le=\"([^\"]+)\"}");

    /** The phase-map key of one bucket series ({@code …_bucket{command="ADD",le="0.005"}}); empty for any other. */
    static Optional<String> key(String series) {
        var m = BUCKET.matcher(series);
        return m.matches() ? Optional.of(PREFIX + m.group(1) + " " + m.group(2)) : Optional.empty();
    }

    /** The buckets of {@code command} among {@code requests} (counts during one phase); empty when none were counted. */
    static Optional<DaemonLatency> of(Map<String, Long> requests, String command) {
        TreeMap<Double, Long> buckets = new TreeMap<>();
        String prefix = PREFIX + command + " ";
        requests.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                String le = k.substring(prefix.length());
                buckets.put(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le), v);
            }
        });
        return buckets.isEmpty() || buckets.lastEntry().getValue() == 0 ? Optional.empty()
                : Optional.of(new DaemonLatency(buckets));
    }

    /**
     * The estimated latency at percentile {@code p} (0–100), in milliseconds. In the open top bucket
     * it is that bucket's lower bound: the histogram says no more than "above".
     */
    double percentileMillis(double p) {
        long total = cumulative.lastEntry().getValue();
        double rank = p / 100.0 * total;
        double lower = 0;
        long below = 0;
        for (Map.Entry<Double, Long> bucket : cumulative.entrySet()) {
            if (bucket.getValue() >= rank && bucket.getValue() > below) {
                if (bucket.getKey().isInfinite()) {
                    return lower * 1000;
                }
                double within = (rank - below) / (bucket.getValue() - below);
                return (lower + (bucket.getKey() - lower) * within) * 1000;
            }
            lower = bucket.getKey();
            below = bucket.getValue();
        }
        return lower * 1000;
    }
}
