package dev.whereabouts.cni.launcher.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The start-up warm-up runs the real call path, leaves nothing behind and gives way to real calls. */
class JitWarmupTest {

    private static List<Path> leftovers() throws IOException {
        try (Stream<Path> tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return tmp.filter(p -> p.getFileName().toString().startsWith("whereabouts-warmup")).toList();
        }
    }

    @Test
    void runsEveryCycleThroughTheFileStoreAndRemovesItsDirectory() throws IOException {
        List<Path> before = leftovers();
        // every ADD and DEL succeeded, on the file store and on the etcd and Kubernetes stores'
        // stand-ins: a warm-up of failing calls would warm the error path only
        assertEquals(new JitWarmup.Outcome(24, 0, 2 * 24), JitWarmup.runNow(24, () -> false, Duration.ofSeconds(5)));
        assertEquals(before, leftovers());
    }

    @Test
    void waitsWhileTheDaemonServesCallsAndThenGoesOn() {
        var polls = new AtomicInteger();
        // busy for the first five looks, as a daemon serving a few calls right after its start
        assertEquals(new JitWarmup.Outcome(8, 0, 2 * 8),
                JitWarmup.runNow(8, () -> polls.incrementAndGet() <= 5, Duration.ofSeconds(30)));
        assertTrue(polls.get() > 5, "the warm-up looked whether the daemon was busy");
    }

    @Test
    void aDaemonBusyForLongGetsNoWarmUp() {
        // returning at all is the point: it gives up once it waited 200 ms in all
        assertEquals(new JitWarmup.Outcome(0, 0, 0), JitWarmup.runNow(300, () -> true, Duration.ofMillis(200)));
    }
}
