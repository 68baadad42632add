package dev.whereabouts.store.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.spi.CommitOutcome;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the CRUD mock does not model, with a mock in expectation mode answering as a real API server
 * does: delete preconditions (409 "Conflict" when the resourceVersion moved on) and the status
 * reasons a real server uses.
 */
class PreconditionTest {

    static final String BASE = "/apis/whereabouts.cni.cncf.io/v1alpha1/namespaces/ns/";
    static final Owner A = new Owner("ctr-a", "net1", "default/a");
    static final Owner B = new Owner("ctr-b", "net1", "default/b");

    MockCluster cluster;
    KubernetesIpamStore store;

    @BeforeEach
    void start() {
        cluster = new MockCluster("ns", false);
        store = cluster.open();
    }

    @AfterEach
    void stop() {
        store.close();
        cluster.close();
    }

    static GenericKubernetesResource reservation(String name, String rv, Owner owner) {
        GenericKubernetesResource o = new GenericKubernetesResource();
        o.setApiVersion(Kinds.API_VERSION);
        o.setKind("OverlappingRangeIPReservation");
        o.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").withResourceVersion(rv).build());
        o.setAdditionalProperty("spec", ReservationObjects.spec(owner));
        return o;
    }

    static Status status(int code, String reason) {
        return new StatusBuilder().withStatus("Failure").withCode(code).withReason(reason).withMessage(reason).build();
    }

    List<RecordedRequest> requests() throws InterruptedException {
        List<RecordedRequest> out = new ArrayList<>();
        for (RecordedRequest r; (r = cluster.server.takeRequest(100, TimeUnit.MILLISECONDS)) != null; ) {
            out.add(r);
        }
        return out;
    }

    @Test
    void removeReservationDeletesWithAResourceVersionPrecondition() throws Exception {
        String path = BASE + "overlappingrangeipreservations/10.0.0.1";
        cluster.server.expect().get().withPath(path).andReturn(200, reservation("10.0.0.1", "7", A)).once();
        // a real API server answers a delete with the object as it was deleted
        cluster.server.expect().delete().withPath(path).andReturn(200, reservation("10.0.0.1", "7", A)).once();
        boolean removed = store.removeReservation(new Reservation("", IpAddress.parse("10.0.0.1"), A));
        List<RecordedRequest> seen = requests();
        assertTrue(removed, seen.toString());
        String body = seen.stream().filter(r -> r.getMethod().equals("DELETE")).findFirst().orElseThrow().getUtf8Body();
        assertTrue(body.contains("\"preconditions\":{\"resourceVersion\":\"7\"}"), body);
    }

    @Test
    void aFailedDeletePreconditionRechecksTheHolder() {
        String path = BASE + "overlappingrangeipreservations/10.0.0.1";
        cluster.server.expect().get().withPath(path).andReturn(200, reservation("10.0.0.1", "7", A)).once();
        cluster.server.expect().delete().withPath(path).andReturn(409, status(409, "Conflict")).once();
        // by now another pod took the address over
        cluster.server.expect().get().withPath(path).andReturn(200, reservation("10.0.0.1", "8", B)).once();
        assertFalse(store.removeReservation(new Reservation("", IpAddress.parse("10.0.0.1"), A)));
    }

    @Test
    void rollbackDeletesOnlyTheReservationVersionItCreated() throws Exception {
        String res = BASE + "overlappingrangeipreservations";
        cluster.server.expect().post().withPath(res).andReturn(201, reservation("10.0.0.5", "31", A)).once();
        cluster.server.expect().get().withPath(BASE + "ippools/10.0.0.0-24").andReturn(404, status(404, "NotFound")).once();
        cluster.server.expect().delete().withPath(res + "/10.0.0.5").andReturn(200, reservation("10.0.0.5", "31", A)).once();
        Reservation r = new Reservation("", IpAddress.parse("10.0.0.5"), A);
        var out = store.commit(PoolKey.of(Cidr.parse("10.0.0.0/24"), ""), new PoolVersion("30"),
                new PoolChange(List.of(new Allocation(r.ip(), A)), List.of(), List.of(r), List.of()));
        assertInstanceOf(CommitOutcome.Conflict.class, out);
        String body = requests().stream().filter(q -> q.getMethod().equals("DELETE")).findFirst().orElseThrow().getUtf8Body();
        assertTrue(body.contains("\"preconditions\":{\"resourceVersion\":\"31\"}"), body);
    }

    @Test
    void aRealServersAlreadyExistsOnCreateMeansConflict() {
        cluster.server.expect().post().withPath(BASE + "ippools").andReturn(409, status(409, "AlreadyExists")).once();
        var out = store.commit(PoolKey.of(Cidr.parse("10.0.0.0/24"), ""), PoolVersion.ABSENT,
                PoolChange.put(new Allocation(IpAddress.parse("10.0.0.1"), A)));
        assertInstanceOf(CommitOutcome.Conflict.class, out);
    }

    @Test
    void aRealServersConflictOnUpdateMeansConflict() {
        GenericKubernetesResource pool = PoolObjects.newPool(PoolKey.of(Cidr.parse("10.0.0.0/24"), ""), "ns");
        pool.getMetadata().setResourceVersion("40");
        cluster.server.expect().get().withPath(BASE + "ippools/10.0.0.0-24").andReturn(200, pool).once();
        cluster.server.expect().put().withPath(BASE + "ippools/10.0.0.0-24").andReturn(409, status(409, "Conflict")).once();
        var out = store.commit(PoolKey.of(Cidr.parse("10.0.0.0/24"), ""), new PoolVersion("40"),
                PoolChange.put(new Allocation(IpAddress.parse("10.0.0.1"), A)));
        assertInstanceOf(CommitOutcome.Conflict.class, out);
    }

    @Test
    void aReservationHeldByAnotherPodOnARealServerIsTaken() {
        String res = BASE + "overlappingrangeipreservations";
        cluster.server.expect().post().withPath(res).andReturn(409, status(409, "AlreadyExists")).once();
        cluster.server.expect().get().withPath(res + "/10.0.0.5").andReturn(200, reservation("10.0.0.5", "3", B)).once();
        Reservation r = new Reservation("", IpAddress.parse("10.0.0.5"), A);
        var out = store.commit(PoolKey.of(Cidr.parse("10.0.0.0/24"), ""), PoolVersion.ABSENT,
                new PoolChange(List.of(new Allocation(r.ip(), A)), List.of(), List.of(r), List.of()));
        var taken = assertInstanceOf(CommitOutcome.ReservationTaken.class, out);
        assertEquals(new Reservation("", r.ip(), B), taken.holder());
    }

    @Test
    void aReservationThatKeepsAppearingAndVanishingIsALostRaceNotAnOutage() throws Exception {
        // other writers create and roll back the same address between our create and our read
        String res = BASE + "overlappingrangeipreservations";
        cluster.server.expect().post().withPath(res).andReturn(409, status(409, "AlreadyExists")).always();
        cluster.server.expect().get().withPath(res + "/10.0.0.5").andReturn(404, status(404, "NotFound")).always();
        Reservation r = new Reservation("", IpAddress.parse("10.0.0.5"), A);
        var out = store.commit(PoolKey.of(Cidr.parse("10.0.0.0/24"), ""), PoolVersion.ABSENT,
                new PoolChange(List.of(new Allocation(r.ip(), A)), List.of(), List.of(r), List.of()));
        assertInstanceOf(CommitOutcome.Conflict.class, out);
        List<RecordedRequest> seen = requests();
        assertTrue(seen.stream().noneMatch(q -> q.getPath().contains("/ippools")), "no pool write: " + seen);
    }
}
