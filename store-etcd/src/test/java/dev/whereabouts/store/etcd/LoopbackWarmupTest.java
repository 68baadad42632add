package dev.whereabouts.store.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The start-up warm-up drives the real store client over gRPC against the process's own stand-in
 * etcd, through the paths of a burst (turns, pool commits, a lost race and a read), and leaves
 * nothing behind but the empty pool.
 */
class LoopbackWarmupTest {

    @Test
    void everyCycleTakesATurnAndCommitsAnAddAndADel() {
        Map<String, Long> counts = Arrays.stream(LoopbackWarmup.run(10).split(" ")).map(kv -> kv.split("="))
                .collect(Collectors.toMap(kv -> kv[0], kv -> Long.parseLong(kv[1])));
        // per cycle four writes: the lock key, the ADD's commit, the DEL's commit, the unlock;
        // the lost races write nothing
        assertEquals(1 + 4 * 10, counts.get("revision"), counts.toString());
        assertEquals(1, counts.get("keys"), "only the pool's meta key stays: " + counts);
    }
}
