package dev.whereabouts.controllers;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.spi.CommitOutcome;
import dev.whereabouts.ipam.spi.IpamStore;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** The cluster a controller test needs on fabric8's CRUD mock server: CRDs, NADs, nodes, pods, a flat file. */
public final class MockApi {

    public static final String NS = "kube-system";

    private MockApi() {}

    /** Our three CRDs from {@code deploy/crds} and Multus' NAD CRD. */
    public static void installCrds(KubernetesClient client) {
        try (Stream<Path> files = Files.list(Path.of("..", "deploy", "crds"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
                    client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        client.apiextensions().v1().customResourceDefinitions().resource(new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName("network-attachment-definitions.k8s.cni.cncf.io").endMetadata()
                .withNewSpec().withGroup("k8s.cni.cncf.io").withScope("Namespaced")
                .withNewNames().withKind("NetworkAttachmentDefinition").withPlural("network-attachment-definitions")
                .withSingular("network-attachment-definition").endNames()
                .addNewVersion().withName("v1").withServed(true).withStorage(true).endVersion()
                .endSpec().build()).create();
    }

    /** A flat file whose kubeconfig points at the mock server, as the installer writes them. */
    public static Path flatFile(KubernetesClient client, Path dir) {
        try {
            Path kubeconfig = dir.resolve("whereabouts.kubeconfig");
            // Built with fabric8's kubeconfig model: cluster, token user and a context in our namespace.
            io.fabric8.kubernetes.api.model.Config config = new io.fabric8.kubernetes.api.model.ConfigBuilder()
                    .withApiVersion("v1").withKind("Config")
                    .addNewCluster().withName("mock").withNewCluster()
                    .withServer(client.getConfiguration().getMasterUrl()).endCluster().endCluster()
                    .addNewUser().withName("controller").withNewUser().withToken("t").endUser().endUser()
                    .addNewContext().withName("mock").withNewContext().withCluster("mock").withUser("controller")
                    .withNamespace(NS).endContext().endContext()
                    .withCurrentContext("mock").build();
            Files.writeString(kubeconfig, client.getKubernetesSerialization().asYaml(config));
            Path conf = dir.resolve("whereabouts.conf");
            Files.writeString(conf, "{\"datastore\":\"kubernetes\",\"configuration_path\":\"" + dir
                    + "\",\"kubernetes\":{\"kubeconfig\":\"" + kubeconfig + "\"}}");
            return conf;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A NAD whose {@code spec.config} is {@code config}. */
    public static GenericKubernetesResource nad(KubernetesClient client, String ns, String name, String config) {
        GenericKubernetesResource nad = new GenericKubernetesResource();
        nad.setApiVersion("k8s.cni.cncf.io/v1");
        nad.setKind("NetworkAttachmentDefinition");
        nad.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(name).build());
        nad.setAdditionalProperty("spec", Map.of("config", config));
        return dev.whereabouts.ops.nad.Nads.of(client).inNamespace(ns).resource(nad).createOr(n -> n.update());
    }

    /** A macvlan config with whereabouts IPAM; {@code extraIpam} is spliced into the ipam object. */
    public static String whereabouts(String cniName, String range, String extraIpam) {
        return "{\"cniVersion\":\"0.3.1\",\"name\":\"" + cniName + "\",\"type\":\"macvlan\",\"master\":\"eth0\","
                + "\"ipam\":{\"type\":\"whereabouts\",\"range\":\"" + range + "\"" + extraIpam + "}}";
    }

    public static void node(KubernetesClient client, String name) {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    }

    /** A running pod on {@code node} whose network-status lists {@code nad} on {@code iface} with {@code ip}. */
    public static Pod pod(KubernetesClient client, String ns, String name, String node, String nad, String iface,
            String ip) {
        String status = "[{\"name\":\"cbr0\",\"interface\":\"eth0\",\"ips\":[\"10.244.0.9\"],\"default\":true},"
                + "{\"name\":\"" + nad + "\",\"interface\":\"" + iface + "\",\"ips\":[\"" + ip + "\"]}]";
        return client.pods().inNamespace(ns).resource(new PodBuilder()
                .withMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(name)
                        .withUid(UUID.randomUUID().toString())
                        .withAnnotations(Map.of("k8s.v1.cni.cncf.io/network-status", status)).build())
                .withNewSpec().withNodeName(node).endSpec()
                .withNewStatus().withPhase("Running").endStatus().build()).create();
    }

    /** Writes an entry and its reservation as the engine's ADD does. */
    public static void allocate(IpamStore store, PoolKey key, String ip, Owner owner) {
        var s = store.read(key);
        var a = new Allocation(IpAddress.parse(ip), owner);
        CommitOutcome o = store.commit(key, s.version(), new PoolChange(List.of(a), List.of(),
                List.of(new Reservation(key.networkName(), a.ip(), owner)), List.of()));
        assertInstanceOf(CommitOutcome.Committed.class, o);
    }

    /** Polls {@code condition} every 50 ms until it holds or {@code max} passed. */
    public static boolean await(Duration max, BooleanSupplier condition) {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }
}
