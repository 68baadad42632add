package dev.whereabouts.cni.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * An {@code IPPool} that has reached the API server's size limit, through the shipped binary: the
 * ADD that would grow it gets a CNI error with code 100 that names the object and the server's
 * words, nothing of it is left in the cluster, and a DEL still shrinks the pool so that the next ADD
 * fits. The mock API server refuses bodies over a limit as a real one does (413, its Status).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FullIpPoolThroughPluginIT {

    static final String NS = "kube-system";
    static final String WORDS = "Request entity too large: limit is 3145728";

    /** Bodies over this many bytes are refused; no limit until the test sets one. */
    final AtomicLong limit = new AtomicLong(Long.MAX_VALUE);
    KubernetesMockServer server;
    NamespacedKubernetesClient admin;
    Path dir;

    @BeforeAll
    void cluster() throws Exception {
        var crud = new KubernetesCrudDispatcher(List.of()) {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (List.of("POST", "PUT", "PATCH").contains(request.getMethod()) && request.getBody().size() > limit.get()) {
                    return new MockResponse().setResponseCode(413).setBody("""
                            {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"%s",\
                            "reason":"RequestEntityTooLarge","code":413}""".formatted(WORDS));
                }
                return super.dispatch(request);
            }
        };
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), crud, false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        admin = server.createClient();
        WhereaboutsCrds.install(admin);
        dir = Files.createTempDirectory("wa-full-pool");
        Files.writeString(dir.resolve("kubeconfig"), """
                {"apiVersion": "v1", "kind": "Config", "current-context": "it",
                 "clusters": [{"name": "mock", "cluster": {"server": "%s"}}],
                 "users": [{"name": "it", "user": {"token": "t"}}],
                 "contexts": [{"name": "it", "context": {"cluster": "mock", "user": "it", "namespace": "%s"}}]}
                """.formatted(admin.getConfiguration().getMasterUrl(), NS));
    }

    @AfterAll
    void stop() throws Exception {
        admin.close();
        server.destroy();
        Plugin.exec(Plugin.builder(List.of("rm", "-rf", dir.toString()), Map.of()), "");
    }

    Plugin.Run call(String command, String container) throws Exception {
        String config = """
                {"cniVersion":"1.0.0","name":"full-net","type":"macvlan",
                 "ipam":{"type":"whereabouts","datastore":"kubernetes","kubernetes":{"kubeconfig":"%s"},
                         "daemon_socket":"%s","attachments_dir":"%s","range":"10.51.0.0/24","log_level":"error"}}
                """.formatted(dir.resolve("kubeconfig"), dir.resolve("none/d.sock"), dir.resolve("attachments"));
        return Plugin.run(Plugin.env(command, container), config);
    }

    GenericKubernetesResource pool() {
        return admin.genericKubernetesResources("whereabouts.cni.cncf.io/v1alpha1", "IPPool").inNamespace(NS)
                .withName("10.51.0.0-24").get();
    }

    int reservations() {
        return admin.genericKubernetesResources("whereabouts.cni.cncf.io/v1alpha1", "OverlappingRangeIPReservation")
                .inNamespace(NS).list().getItems().size();
    }

    @Test
    void anAddToAnIpPoolAtTheSizeLimitIsAFullPoolAndADelMakesRoom() throws Exception {
        assertEquals(0, call("ADD", "a1").exit());
        assertEquals(0, call("ADD", "a2").exit());
        // The pool as it is now, and not one allocation more, fits under the limit.
        limit.set(admin.getKubernetesSerialization().asJson(pool()).length() + 40);

        Plugin.Run refused = call("ADD", "a3");
        JsonNode error = ProtocolChecks.error(refused, 100);
        String msg = error.path("msg").asString();
        assertTrue(msg.startsWith("IPPool kube-system/10.51.0.0-24 cannot grow to 3 allocations"), msg);
        assertTrue(msg.contains("(HTTP 413: " + WORDS + ")"), msg);
        assertEquals(2, ((Map<?, ?>) ((Map<?, ?>) pool().getAdditionalProperties().get("spec")).get("allocations")).size());
        assertEquals(2, reservations(), "the refused ADD left no reservation");

        assertEquals(0, call("DEL", "a1").exit());
        assertEquals(0, call("ADD", "a3").exit(), "a DEL makes room for the next ADD");
        assertEquals(2, reservations());
    }
}
