package dev.whereabouts.controllers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code whereabouts controller ...} finds its cluster and store the plugin's way (the Kubernetes
 * store's client factory, the engine's provider registry) and says what is wrong when it cannot start.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class ControllersTest {

    static KubernetesClient client;

    @TempDir
    Path dir;

    String run(int expected, String... args) throws InterruptedException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Controllers.run(args, Map.of("NODENAME", "node-a"), new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(expected, code, text);
        return text;
    }

    @Test
    void withoutAFlatFileOutsideAPodTheKubeconfigIsWhatIsMissing() throws Exception {
        // The call's environment has no KUBERNETES_SERVICE_HOST, so even in a pod this is "outside".
        String err = run(1, "pods", "--flat-file", dir.resolve("absent.conf").toString());
        assertTrue(err.contains("kubernetes.kubeconfig"), err);
    }

    @Test
    void anUnknownDatastoreListsTheProvidersFound() throws Exception {
        Path flat = MockApi.flatFile(client, dir);
        Files.writeString(flat, Files.readString(flat).replace("\"datastore\":\"kubernetes\"", "\"datastore\":\"pigeon\""));
        String err = run(1, "pods", "--flat-file", flat.toString());
        assertTrue(err.contains("unknown datastore 'pigeon'") && err.contains("kubernetes"), err);
    }

    @Test
    void badUsageIsTwo() throws Exception {
        run(2);
        run(2, "pods", "--flat-file");
        run(2, "frobnicate");
    }

    @Test
    void metricsStayOnLoopbackAndHaveAnOffSwitch() throws Exception {
        String err = run(2, "pods", "--metrics", "0.0.0.0:19110");
        assertTrue(err.contains("loopback"), err);
        assertTrue(run(2, "pods", "--metrics", "nope").contains("metrics address"));
        // --no-metrics is accepted: the run then fails on the missing kubeconfig, not on its flags.
        assertTrue(run(1, "pods", "--no-metrics", "--flat-file", dir.resolve("absent.conf").toString())
                .contains("kubernetes.kubeconfig"));
    }
}
