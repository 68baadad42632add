package dev.whereabouts.bench.burst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DaemonLatencyTest {

    private static final String ADD = "whereabouts_cni_call_duration_seconds_bucket{command=\"ADD\",le=\"%s\"}";

    @Test
    void aBucketSeriesBecomesAPhaseKeyAndNothingElseDoes() {
        assertEquals(Optional.of("daemon-seconds ADD 0.005"), DaemonLatency.key(ADD.formatted("0.005")));
        assertEquals(Optional.of("daemon-seconds DEL +Inf"),
                DaemonLatency.key("whereabouts_cni_call_duration_seconds_bucket{command=\"DEL\",le=\"+Inf\"}"));
        assertEquals(Optional.empty(), DaemonLatency.key("whereabouts_cni_call_duration_seconds_count{command=\"ADD\"}"));
    }

    @Test
    void aPercentileIsInterpolatedWithinTheBucketItFallsIn() {
        // 100 ADDs: 40 at or below 2.5 ms, 80 at or below 5 ms, 100 at or below 10 ms.
        var d = DaemonLatency.of(phase(Map.of("0.001", 0L, "0.0025", 40L, "0.005", 80L, "0.01", 100L, "+Inf", 100L)), "ADD")
                .orElseThrow();
        assertEquals(3.125, d.percentileMillis(50), 1e-9); // 10 of the 40 calls between 2.5 and 5 ms
        assertEquals(9.75, d.percentileMillis(99), 1e-9); // 19 of the 20 between 5 and 10 ms
        assertEquals(1.375, d.percentileMillis(10), 1e-9); // 10 of the 40 between 1 and 2.5 ms
    }

    @Test
    void inTheOpenTopBucketItIsThatBucketsLowerBound() {
        var d = DaemonLatency.of(phase(Map.of("0.01", 50L, "+Inf", 100L)), "ADD").orElseThrow();
        assertEquals(10.0, d.percentileMillis(99), 1e-9);
    }

    @Test
    void aCommandWithNoCallsHasNoLatency() {
        assertTrue(DaemonLatency.of(phase(Map.of("0.01", 0L, "+Inf", 0L)), "ADD").isEmpty());
        assertTrue(DaemonLatency.of(phase(Map.of("0.01", 3L, "+Inf", 3L)), "DEL").isEmpty());
    }

    private static Map<String, Long> phase(Map<String, Long> addBuckets) {
        Map<String, Long> requests = new HashMap<>(Map.of("requests", 12L, "engine writes.committed", 3L));
        addBuckets.forEach((le, n) -> requests.put(DaemonLatency.PREFIX + "ADD " + le, n));
        return requests;
    }
}
