package dev.whereabouts.hammer;

import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * fabric8's mock API server in CRUD mode, in the coordinator's process; workers reach it over
 * loopback through a kubeconfig, exactly as they would reach a real API server.
 */
final class KubernetesMockHammerBackend implements HammerBackend {

    /**
     * The mock logs every request at INFO through java.util.logging: millions of lines in a long run,
     * and a large share of its CPU. Held in a field because JUL keeps loggers only weakly.
     */
    private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    private final KubernetesMockServer server;
    private final Path kubeconfig;

    private KubernetesMockHammerBackend(KubernetesMockServer server, Path kubeconfig) {
        this.server = server;
        this.kubeconfig = kubeconfig;
    }

    static KubernetesMockHammerBackend start(Path workDir) throws IOException {
        MOCK_LOG.setLevel(Level.WARNING);
        List<CustomResourceDefinitionContext> kinds = List.of(
                crd("ippools", "IPPool"),
                crd("overlappingrangeipreservations", "OverlappingRangeIPReservation"),
                crd("nodeslicepools", "NodeSlicePool"));
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(kinds), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        Path kubeconfig = workDir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: %s
                users:
                - name: hammer
                  user:
                    token: hammer-token
                contexts:
                - name: hammer
                  context:
                    cluster: mock
                    user: hammer
                    namespace: kube-system
                current-context: hammer
                """.formatted(server.url("/").replaceAll("/$", "")));
        return new KubernetesMockHammerBackend(server, kubeconfig);
    }

    private static CustomResourceDefinitionContext crd(String plural, String kind) {
        return new CustomResourceDefinitionContext.Builder()
                .withGroup("whereabouts.cni.cncf.io").withVersion("v1alpha1")
                .withPlural(plural).withKind(kind).withScope("Namespaced").build();
    }

    @Override
    public String ipamFields() {
        return "\"datastore\":\"kubernetes\",\"kubernetes\":{\"kubeconfig\":\"" + kubeconfig + "\"}";
    }

    @Override
    public void close() {
        server.destroy();
    }
}
