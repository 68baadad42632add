package dev.whereabouts.store.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The start-up warm-up drives the real store client over HTTP against the process's own stand-in
 * server, through the paths of a burst (pool writes, reservation creates and deletes, turns), and
 * leaves nothing behind.
 */
class LoopbackWarmupTest {

    static Map<String, Long> counts(String text) {
        return Arrays.stream(text.split(" ")).map(kv -> kv.split("="))
                .collect(Collectors.toMap(kv -> kv[0], kv -> Long.parseLong(kv[1])));
    }

    @Test
    void cyclesReachTheServerThroughEveryRequestKindOfABurstAndLeaveNothing() {
        Map<String, Long> counts = counts(LoopbackWarmup.run(10));
        // per cycle: a reservation created and deleted, two pool updates, a turn taken and given back
        assertEquals(10, counts.get("DELETE"), counts.toString());
        assertTrue(counts.get("POST") >= 10 && counts.get("PUT") >= 20 && counts.get("GET") >= 1, counts.toString());
        assertEquals(2, counts.get("objects"), "only the empty pool and the given-back turn Lease stay: " + counts);
    }
}
