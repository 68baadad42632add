package dev.whereabouts.store.kubernetes;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.whereabouts.store.kubernetes.client.KubernetesClients;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientWarmupTest {

    @Test
    void theWarmUpDecodesWhatCallsExchangeWithoutAServer() {
        // no API server runs here: a request would fail, so finishing proves none was made
        assertDoesNotThrow(() -> new KubernetesStoreProvider().warmUp());
    }

    @Test
    void everyClientDecodesWithTheWarmedSerialization() {
        try (MockCluster cluster = new MockCluster("warmup");
                var a = KubernetesClients.connect(cluster.config(), Map.of());
                var b = KubernetesClients.connect(cluster.config(), Map.of())) {
            assertSame(KubernetesClients.serialization(), a.client().getKubernetesSerialization());
            assertSame(KubernetesClients.serialization(), b.client().getKubernetesSerialization());
            assertEquals(1, a.client().genericKubernetesResources(Kinds.IP_POOL).inNamespace("warmup").list().getItems().size() + 1,
                    "a client on the shared serialization still talks to its server");
        }
    }
}
