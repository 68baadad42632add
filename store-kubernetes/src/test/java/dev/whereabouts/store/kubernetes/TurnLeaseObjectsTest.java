package dev.whereabouts.store.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TurnLeaseObjectsTest {

    private static final Instant T = Instant.parse("2026-12-01T10:00:00.123456Z");
    private static final Duration OURS = Duration.ofSeconds(2);

    @Test
    void aHeldTurnRunsOutAfterTheHoldItsHolderDeclared() {
        var lease = lease(TurnLeaseObjects.spec("node-a", Duration.ofSeconds(7), T));
        assertEquals(Optional.of("node-a"), TurnLeaseObjects.holder(lease));
        assertEquals(Optional.of(T.plusSeconds(7)), TurnLeaseObjects.expiry(lease, OURS));
    }

    @Test
    void aHolderThatDeclaredNoHoldGetsOurs() {
        Map<String, Object> spec = new HashMap<>(Map.of("holderIdentity", "node-a", "renewTime", T.toString()));
        assertEquals(Optional.of(T.plus(OURS)), TurnLeaseObjects.expiry(lease(spec), OURS));
    }

    @Test
    void aGivenBackTurnHasNoHolderAndNoExpiry() {
        var lease = lease(TurnLeaseObjects.spec("", OURS, null));
        assertEquals(Optional.empty(), TurnLeaseObjects.holder(lease));
        assertEquals(Optional.empty(), TurnLeaseObjects.expiry(lease, OURS));
    }

    @Test
    void aLeaseWithoutASpecOrWithAnUnreadableTimeIsUnheld() {
        var bare = new GenericKubernetesResource();
        assertEquals(Optional.empty(), TurnLeaseObjects.holder(bare));
        assertEquals(Optional.empty(), TurnLeaseObjects.expiry(bare, OURS));
        var garbled = lease(new HashMap<>(Map.of("holderIdentity", "node-a", "renewTime", "yesterday")));
        assertEquals(Optional.empty(), TurnLeaseObjects.expiry(garbled, OURS));
    }

    @Test
    void aCopiedSpecIsWrittenBackUnchangedAndLeavesTheOriginalAlone() {
        var lease = lease(TurnLeaseObjects.spec("node-a", OURS, T));
        Map<String, Object> copy = TurnLeaseObjects.specOf(lease);
        copy.put("holderIdentity", "node-b");
        assertEquals(Optional.of("node-a"), TurnLeaseObjects.holder(lease));
        assertEquals("coordination.k8s.io/v1", lease.getApiVersion());
        assertEquals("Lease", lease.getKind());
    }

    private static GenericKubernetesResource lease(Map<String, Object> spec) {
        return TurnLeaseObjects.lease(new ObjectMetaBuilder().withName(PoolTurnLeases.PREFIX + "10.0.0.0-24").build(), spec);
    }
}
