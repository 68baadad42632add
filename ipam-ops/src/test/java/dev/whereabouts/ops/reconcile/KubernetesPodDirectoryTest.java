package dev.whereabouts.ops.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.IpAddress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true, https = false)
class KubernetesPodDirectoryTest {

    static KubernetesClient client;

    @Test
    void looksUpFewPodsOneByOneAndManyByListingTheirNamespaceOnly() {
        List<String> refs = new ArrayList<>();
        for (int i = 0; i < 3 * KubernetesPodDirectory.GET_LIMIT; i++) {
            client.pods().inNamespace("bulk").resource(Pods.pod("bulk", "p" + i, "u" + i, "Running", Instant.now(),
                    Pods.networkStatus("10.244.0.1", "10.30.0." + i))).create();
            refs.add("bulk/p" + i);
        }
        client.pods().inNamespace("few").resource(Pods.pod("few", "solo", "u-solo", "Running", Instant.now(), null)).create();
        client.pods().inNamespace("elsewhere").resource(Pods.pod("elsewhere", "p1", "u-x", "Running", Instant.now(), null)).create();
        refs.add("bulk/missing");
        refs.add("few/solo");
        refs.add("few/missing");
        refs.add("not-a-ref");

        Map<String, PodState> found = new KubernetesPodDirectory(client).findAll(refs);

        assertEquals(3 * KubernetesPodDirectory.GET_LIMIT + 1, found.size());
        assertFalse(found.containsKey("elsewhere/p1"));
        assertEquals(Optional.of(Set.of(IpAddress.parse("10.30.0.7"))), found.get("bulk/p7").secondaryIps());
        assertEquals(Set.of(IpAddress.parse("10.244.0.1")), found.get("bulk/p7").defaultIps());
        assertEquals(Optional.empty(), found.get("few/solo").secondaryIps());
        assertTrue(new KubernetesPodDirectory(client).find("few/missing").isEmpty());
        assertEquals("Running", new KubernetesPodDirectory(client).find("few/solo").orElseThrow().phase());
    }
}
