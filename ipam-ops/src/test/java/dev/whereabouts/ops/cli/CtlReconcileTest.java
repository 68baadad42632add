package dev.whereabouts.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ops.RequiredPermissions;
import dev.whereabouts.store.tck.InMemoryStore;
import dev.whereabouts.store.tck.InMemoryStoreProvider;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code ctl reconcile} with the in-memory store (provider {@code memory}) and pods on the mock
 * server, reached through a kubeconfig file like the one the installer writes.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class CtlReconcileTest {

    static KubernetesClient client;

    @TempDir
    Path dir;

    private Path config(String backend) throws Exception {
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: local
                  cluster:
                    server: "%s"
                users:
                - name: whereabouts
                  user:
                    token: "t0ken"
                contexts:
                - name: whereabouts-context
                  context: {cluster: local, user: whereabouts, namespace: kube-system}
                current-context: whereabouts-context
                """.formatted(client.getConfiguration().getMasterUrl()));
        Path conf = dir.resolve("whereabouts.conf");
        Files.writeString(conf, "{\"datastore\":\"memory\",\"memory\":{\"name\":\"" + backend
                + "\"},\"kubernetes\":{\"kubeconfig\":\"" + kubeconfig + "\"}}");
        return conf;
    }

    private static void fill(InMemoryStore store, PoolKey key) {
        Owner gone = new Owner("c-gone", "net1", "ns/gone");
        store.commit(key, PoolVersion.ABSENT, new PoolChange(
                List.of(new Allocation(IpAddress.parse("10.5.0.2"), gone),
                        new Allocation(IpAddress.parse("10.5.0.3"), new Owner("c-h", "eth0", ""))),
                List.of(), List.of(new Reservation("", IpAddress.parse("10.5.0.2"), gone)), List.of()));
    }

    @Test
    void dryRunReportsAndARealRunRemoves() throws Exception {
        InMemoryStore store = InMemoryStoreProvider.backend("ctl-reconcile-1");
        PoolKey key = PoolKey.of(Cidr.parse("10.5.0.0/24"), "");
        fill(store, key);
        Path conf = config("ctl-reconcile-1");

        CtlTest.Result dry = CtlTest.ctl("--config", conf.toString(), "-o", "json", "reconcile", "--dry-run");
        assertEquals(0, dry.code(), dry.err());
        JsonNode doc = dry.json();
        assertTrue(doc.get("dryRun").asBoolean());
        assertEquals(1, doc.get("unmanaged").asInt());
        assertEquals("would remove", doc.get("entries").get(0).get("action").asString());
        assertEquals(2, store.read(key).allocations().size());

        CtlTest.Result run = CtlTest.ctl("--config", conf.toString(), "reconcile");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("removed"), run.out());
        assertTrue(run.out().contains("pod no longer exists"), run.out());
        assertEquals(List.of(IpAddress.parse("10.5.0.3")), List.copyOf(store.read(key).allocations().keySet()));
        assertEquals(List.of(), store.reservations());
        // The on-demand run took and released the cluster's reconciler lease.
        var lease = client.leases().inNamespace("kube-system").withName(RequiredPermissions.RECONCILER_LEASE).get();
        assertTrue(lease.getSpec().getHolderIdentity() == null);
    }

    @Test
    void refusesToRunWhileAnotherReconcilerHoldsTheLease() throws Exception {
        client.leases().inNamespace("kube-system").resource(new LeaseBuilder()
                .withMetadata(new ObjectMetaBuilder().withName(RequiredPermissions.RECONCILER_LEASE).build())
                .withNewSpec().withHolderIdentity("node-z").withLeaseDurationSeconds(3600)
                .withRenewTime(ZonedDateTime.now(ZoneOffset.UTC)).withAcquireTime(ZonedDateTime.now(ZoneOffset.UTC))
                .endSpec().build()).createOr(x -> x.update());
        try {
            InMemoryStore store = InMemoryStoreProvider.backend("ctl-reconcile-2");
            PoolKey key = PoolKey.of(Cidr.parse("10.6.0.0/24"), "");
            fill(store, key);
            CtlTest.Result run = CtlTest.ctl("--config", config("ctl-reconcile-2").toString(), "reconcile");
            assertEquals(1, run.code());
            assertTrue(run.err().contains("node-z"), run.err());
            assertEquals(2, store.read(key).allocations().size());
        } finally {
            client.leases().inNamespace("kube-system").withName(RequiredPermissions.RECONCILER_LEASE).delete();
        }
    }

    @Test
    void theDaemonsScheduledReconcilerStartsFromTheFlatFileAndStops() throws Exception {
        Path conf = config("ctl-reconcile-3");
        try (AutoCloseable ops = dev.whereabouts.ops.Operations.daemonServices(conf, java.util.Map.of("NODENAME", "node-1"))) {
            assertTrue(Thread.getAllStackTraces().keySet().stream()
                    .anyMatch(t -> t.getName().equals("whereabouts-reconciler") && t.isAlive()));
        }
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("whereabouts-reconciler") && t.isAlive()));
    }

    @Test
    void migrationCheckNamesTheNadsThatWouldChange() throws Exception {
        Path conf = config("ctl-migration");
        nad("apps", "plain", "{\"cniVersion\":\"0.3.1\",\"name\":\"plain\",\"type\":\"macvlan\","
                + "\"ipam\":{\"type\":\"whereabouts\",\"range\":\"10.1.0.0/24\"}}");
        nad("apps", "old-etcd", "{\"cniVersion\":\"0.3.1\",\"name\":\"old\",\"type\":\"macvlan\",\"ipam\":"
                + "{\"type\":\"whereabouts\",\"range\":\"10.2.0.0/24\",\"datastore\":\"etcd\",\"etcd_host\":\"e:2379\"}}");
        nad("infra", "other-ipam", "{\"cniVersion\":\"0.3.1\",\"name\":\"o\",\"type\":\"bridge\","
                + "\"ipam\":{\"type\":\"host-local\",\"datastore\":\"etcd\"}}");

        CtlTest.Result r = CtlTest.ctl("--config", conf.toString(), "-o", "json", "migration-check");
        assertEquals(1, r.code(), "findings make the exit code 1: " + r.err());
        JsonNode rows = r.json();
        assertEquals(1, rows.size(), rows.toString());
        assertEquals("apps/old-etcd", rows.get(0).get("nad").asString());
        assertTrue(rows.get(0).get("finding").asString().startsWith("datastore 'etcd'"), rows.toString());

        dev.whereabouts.ops.nad.Nads.of(client).inNamespace("apps").withName("old-etcd").delete();
        CtlTest.Result clean = CtlTest.ctl("--config", conf.toString(), "migration-check");
        assertEquals(0, clean.code(), clean.err());
        assertTrue(clean.out().contains("no NetworkAttachmentDefinition would change behaviour (2 checked)"), clean.out());
    }

    private static void nad(String ns, String name, String config) {
        var nad = new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
                .withApiVersion(dev.whereabouts.ops.nad.Nads.GROUP + "/v1").withKind("NetworkAttachmentDefinition")
                .withMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build())
                .addToAdditionalProperties("spec", java.util.Map.of("config", config)).build();
        dev.whereabouts.ops.nad.Nads.of(client).inNamespace(ns).resource(nad).create();
    }
}
