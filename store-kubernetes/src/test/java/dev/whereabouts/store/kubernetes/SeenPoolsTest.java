package dev.whereabouts.store.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the store keeps of the pools it has seen, whatever order reads, writes and events arrive in. */
class SeenPoolsTest {

    private static GenericKubernetesResource pool(String name, String resourceVersion) {
        GenericKubernetesResource pool = new GenericKubernetesResource();
        pool.setMetadata(new ObjectMetaBuilder().withName(name).withResourceVersion(resourceVersion).build());
        return pool;
    }

    @Test
    void anObjectArrivingLateNeverReplacesANewerOne() {
        try (SeenPools seen = new SeenPools(null)) {
            seen.saw(pool("p", "10"));
            seen.saw(pool("p", "7")); // an event from before our own write, delivered after it
            assertEquals("10", seen.get("p").getMetadata().getResourceVersion());
            seen.saw(pool("p", "12"));
            assertEquals("12", seen.get("p").getMetadata().getResourceVersion());
            assertTrue(SeenPools.isNewer(seen.get("p"), "10"), "a write on version 10 would conflict");
            assertFalse(SeenPools.isNewer(seen.get("p"), "12"));
            seen.forget("p");
            assertEquals(null, seen.get("p"));
        }
    }

    @Test
    void versionsThatAreNotNumbersAreKeptButNeverCalledNewer() {
        try (SeenPools seen = new SeenPools(null)) {
            seen.saw(pool("p", "abc"));
            seen.saw(pool("p", "abd"));
            assertEquals("abd", seen.get("p").getMetadata().getResourceVersion(), "without an order, the last one seen");
            assertFalse(SeenPools.isNewer(seen.get("p"), "abc"), "so a write asks the server instead");
            assertEquals(Optional.empty(), seen.awaitNewer("p", "abc", Duration.ofMillis(50)));
        }
    }
}
