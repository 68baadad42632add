package dev.whereabouts.store.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolSnapshot;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.spi.CommitOutcome;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Objects exactly as upstream whereabouts writes them (typed by hand from the compatibility
 * reference): the store must read them, allocate around their entries, and write back objects
 * whose fields and value formats are upstream's.
 */
class CompatibilityFixturesTest extends MockStoreFixture {

    static final Path FIXTURES = Path.of("src", "test", "resources", "fixtures");

    @Override
    MockCluster newCluster() {
        return new MockCluster("kube-system");
    }

    static String text(String fixture) {
        try {
            return Files.readString(FIXTURES.resolve(fixture));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void load(ResourceDefinitionContext kind, String fixture) {
        GenericKubernetesResource o = cluster.admin.getKubernetesSerialization()
                .unmarshal(text(fixture), GenericKubernetesResource.class);
        cluster.admin.genericKubernetesResources(kind).inNamespace("kube-system").resource(o).create();
    }

    /** The parts of an object that upstream defines, as a plain JSON tree. */
    @SuppressWarnings("unchecked")
    Map<String, Object> wire(Map<String, Object> object) {
        Map<String, Object> meta = (Map<String, Object>) object.get("metadata");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("apiVersion", object.get("apiVersion"));
        out.put("kind", object.get("kind"));
        out.put("metadata", Map.of("name", meta.get("name"), "namespace", meta.get("namespace")));
        out.put("spec", object.get("spec"));
        return out;
    }

    @SuppressWarnings("unchecked")
    void assertStoredAs(ResourceDefinitionContext kind, String name, String fixture) {
        GenericKubernetesResource stored = cluster.admin.genericKubernetesResources(kind)
                .inNamespace("kube-system").withName(name).get();
        var ser = cluster.admin.getKubernetesSerialization();
        Map<String, Object> actual = ser.unmarshal(ser.asJson(stored), Map.class);
        Map<String, Object> expected = ser.unmarshal(text(fixture), Map.class);
        assertEquals(wire(expected), wire(actual), "stored " + name + " differs from " + fixture);
    }

    @Test
    void readsAnUpstreamPoolIncludingAnEntryWithoutIfname() {
        load(Kinds.IP_POOL, "ippool-10.11.88.96-28.json");
        PoolSnapshot s = store.read(PoolKey.of(Cidr.parse("10.11.88.96/28"), ""));
        assertTrue(s.exists());
        assertEquals(Map.of(
                IpAddress.parse("10.11.88.97"), new Owner("5b6a3e2f9c1d", "net1", "default/web-0"),
                IpAddress.parse("10.11.88.98"), new Owner("0f8e7d6c5b4a", "", "default/legacy-0")), s.allocations());
    }

    @Test
    void allocatesAroundUpstreamEntriesAndWritesUpstreamShapes() {
        load(Kinds.IP_POOL, "ippool-10.11.88.96-28.json");
        load(Kinds.RESERVATION, "reservation-10.11.88.97.json");
        PoolKey key = PoolKey.of(Cidr.parse("10.11.88.96/28"), "");
        Owner web1 = new Owner("a1b2c3d4e5f6", "net1", "default/web-1");
        assertEquals(IpAddress.parse("10.11.88.99"), TestAllocator.add(store, key, web1, true));
        assertStoredAs(Kinds.IP_POOL, "10.11.88.96-28", "ippool-10.11.88.96-28-after-add.json");
        assertStoredAs(Kinds.RESERVATION, "10.11.88.99", "reservation-10.11.88.99-written.json");
        assertStoredAs(Kinds.RESERVATION, "10.11.88.97", "reservation-10.11.88.97.json");
    }

    @Test
    void anUpstreamReservationBlocksAnotherPodAndIsRecognisedForTheSamePod() {
        load(Kinds.RESERVATION, "reservation-10.11.88.97.json");
        PoolKey wide = PoolKey.of(Cidr.parse("10.11.88.0/24"), "");
        Owner other = new Owner("ffff", "net1", "default/other");
        var out = store.commit(wide, store.read(wide).version(), new PoolChange(
                List.of(new Allocation(IpAddress.parse("10.11.88.97"), other)), List.of(),
                List.of(new Reservation("", IpAddress.parse("10.11.88.97"), other)), List.of()));
        var taken = assertInstanceOf(CommitOutcome.ReservationTaken.class, out);
        assertEquals(new Owner("", "net1", "default/web-0"), taken.holder().owner());
        Owner sameSandboxNewContainer = new Owner("new-ctr", "net1", "default/web-0");
        out = store.commit(wide, store.read(wide).version(), new PoolChange(
                List.of(new Allocation(IpAddress.parse("10.11.88.97"), sameSandboxNewContainer)), List.of(),
                List.of(new Reservation("", IpAddress.parse("10.11.88.97"), sameSandboxNewContainer)), List.of()));
        assertInstanceOf(CommitOutcome.Committed.class, out);
    }

    @Test
    void readsOffsetsBeyond2To63AndKeepsThemWhenWriting() {
        load(Kinds.IP_POOL, "ippool-caa5---64.json");
        PoolKey key = PoolKey.of(Cidr.parse("caa5::/64"), "");
        PoolSnapshot s = store.read(key);
        assertEquals(new Owner("c0ffee000002", "net1", "ns6/pod-b"), s.allocations().get(IpAddress.parse("caa5::caa5:0:0:0")));
        assertEquals(2, s.allocations().size());
        Owner c = new Owner("c0ffee000003", "net1", "ns6/pod-c");
        assertEquals(IpAddress.parse("caa5::2"), TestAllocator.add(store, key, c, false));
        Owner d = new Owner("c0ffee000004", "net1", "ns6/pod-d");
        var out = store.commit(key, store.read(key).version(),
                PoolChange.put(new Allocation(IpAddress.parse("caa5::ffff:ffff:ffff:fffe"), d)));
        assertInstanceOf(CommitOutcome.Committed.class, out);
        assertStoredAs(Kinds.IP_POOL, "caa5---64", "ippool-caa5---64-after-add.json");
        assertEquals(4, store.read(key).allocations().size());
    }

    @Test
    void aNamedNetworkPoolIsFoundByItsKeyAndReleasesToAnEmptyMap() {
        load(Kinds.IP_POOL, "ippool-net1-10.0.0.0-24.json");
        PoolKey key = PoolKey.of(Cidr.parse("10.0.0.0/24"), "net1");
        assertEquals(List.of(key), store.pools());
        Owner o = new Owner("d00d00000001", "net1", "tenant/pod-1");
        assertEquals(Map.of(IpAddress.parse("10.0.0.1"), o), store.read(key).allocations());
        assertTrue(TestAllocator.del(store, key, o, false));
        assertStoredAs(Kinds.IP_POOL, "net1-10.0.0.0-24", "ippool-net1-10.0.0.0-24-after-del.json");
    }
}
