package dev.whereabouts.store.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.PoolVersion;
import dev.whereabouts.ipam.api.Reservation;
import dev.whereabouts.ipam.api.StoreUnavailableException;
import dev.whereabouts.ipam.spi.CommitOutcome;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.utils.ResponseProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * What the CRUD mock does not model, with a mock in expectation mode answering as a real API server
 * does: delete preconditions (409 "Conflict" when the resourceVersion moved on) and the status
 * reasons a real server uses.
 */
class PreconditionTest extends MockStoreFixture {

    static final String BASE = "/apis/whereabouts.cni.cncf.io/v1alpha1/namespaces/ns/";

    @Override
    MockCluster newCluster() {
        return new MockCluster("ns", false);
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
    void rollbackDeletesOnlyTheReservationVersionItCreatedAndTakesThePoolEntriesBack() throws Exception {
        String res = BASE + "overlappingrangeipreservations";
        String pool = BASE + "ippools/10.0.0.0-24";
        Reservation five = new Reservation("", IpAddress.parse("10.0.0.5"), A);
        Reservation six = new Reservation("", IpAddress.parse("10.0.0.6"), A);
        PoolChange change = new PoolChange(List.of(new Allocation(five.ip(), A), new Allocation(six.ip(), A)),
                List.of(), List.of(five, six), List.of());
        cluster.server.expect().get().withPath(pool).andReturn(200, pool("40")).once();
        cluster.server.expect().put().withPath(pool)
                .andReturn(200, PoolObjects.applied(pool("41"), PoolKey.of(Cidr.parse("10.0.0.0/24"), ""), change)).once();
        // the two creates run at once: the answer depends on the address, not on the order
        cluster.server.expect().post().withPath(res).andReply(byBody(body -> body.contains("10.0.0.5")
                ? Map.entry(201, reservation("10.0.0.5", "31", A))
                : Map.entry(409, status(409, "AlreadyExists")))).times(2);
        cluster.server.expect().get().withPath(res + "/10.0.0.6").andReturn(200, reservation("10.0.0.6", "9", B)).once();
        cluster.server.expect().delete().withPath(res + "/10.0.0.5").andReturn(200, reservation("10.0.0.5", "31", A)).once();
        cluster.server.expect().put().withPath(pool).andReturn(200, pool("42")).once();
        var out = store.commit(PoolKey.of(Cidr.parse("10.0.0.0/24"), ""), new PoolVersion("40"), change);
        assertInstanceOf(CommitOutcome.ReservationTaken.class, out);
        List<RecordedRequest> seen = requests();
        String delete = seen.stream().filter(q -> q.getMethod().equals("DELETE")).findFirst().orElseThrow().getUtf8Body();
        assertTrue(delete.contains("\"preconditions\":{\"resourceVersion\":\"31\"}"), delete);
        List<String> poolWrites = seen.stream().filter(q -> q.getMethod().equals("PUT")).map(RecordedRequest::getUtf8Body).toList();
        assertEquals(2, poolWrites.size(), seen.toString());
        assertTrue(poolWrites.get(0).contains("\"5\":{") && poolWrites.get(0).contains("\"6\":{"), poolWrites.get(0));
        assertTrue(poolWrites.get(1).contains("\"resourceVersion\":\"41\"") && !poolWrites.get(1).contains("\"5\":{")
                && !poolWrites.get(1).contains("\"6\":{"), "the entries go again: " + poolWrites.get(1));
    }

    @Test
    void aReleaseOfAReservationThisClientCreatedDeletesAtThatVersionWithoutARead() throws Exception {
        String res = BASE + "overlappingrangeipreservations";
        Reservation r = addedAtVersion31();
        cluster.server.expect().put().withPath(BASE + "ippools/10.0.0.0-24").andReturn(200, pool("42")).once();
        cluster.server.expect().delete().withPath(res + "/10.0.0.5").andReturn(200, reservation("10.0.0.5", "31", A)).once();
        var out = store.commit(PoolKey.of(Cidr.parse("10.0.0.0/24"), ""), new PoolVersion("41"),
                new PoolChange(List.of(), List.of(r.ip()), List.of(), List.of(r)));
        assertInstanceOf(CommitOutcome.Committed.class, out);
        List<RecordedRequest> seen = requests();
        assertTrue(seen.stream().noneMatch(q -> q.getMethod().equals("GET")), seen.toString());
        String body = seen.stream().filter(q -> q.getMethod().equals("DELETE")).findFirst().orElseThrow().getUtf8Body();
        assertTrue(body.contains("\"preconditions\":{\"resourceVersion\":\"31\"}"), body);
    }

    @Test
    void aReleaseWhoseReservationMovedSinceThisClientCreatedItAsksWhoHoldsItNow() throws Exception {
        String res = BASE + "overlappingrangeipreservations";
        Reservation r = addedAtVersion31();
        cluster.server.expect().put().withPath(BASE + "ippools/10.0.0.0-24").andReturn(200, pool("42")).once();
        cluster.server.expect().delete().withPath(res + "/10.0.0.5").andReturn(409, status(409, "Conflict")).once();
        // the reconciler removed ours and another pod took the address over
        cluster.server.expect().get().withPath(res + "/10.0.0.5").andReturn(200, reservation("10.0.0.5", "50", B)).once();
        var out = store.commit(PoolKey.of(Cidr.parse("10.0.0.0/24"), ""), new PoolVersion("41"),
                new PoolChange(List.of(), List.of(r.ip()), List.of(), List.of(r)));
        assertInstanceOf(CommitOutcome.Committed.class, out);
        assertEquals(1, requests().stream().filter(q -> q.getMethod().equals("DELETE")).count(), "B's reservation stays");
    }

    /**
     * Reservation creates and deletes go out as plain requests on the store's client, not through
     * the typed DSL: they must still carry the kubeconfig's credentials, as every other request does.
     */
    @Test
    void reservationRequestsCarryTheKubeconfigsCredentials() throws Exception {
        Reservation r = addAtVersion31();
        List<RecordedRequest> seen = new ArrayList<>(requests());
        cluster.server.expect().put().withPath(BASE + "ippools/10.0.0.0-24").andReturn(200, pool("42")).once();
        cluster.server.expect().delete().withPath(BASE + "overlappingrangeipreservations/10.0.0.5")
                .andReturn(200, reservation("10.0.0.5", "31", A)).once();
        store.commit(PoolKey.of(Cidr.parse("10.0.0.0/24"), ""), new PoolVersion("41"),
                new PoolChange(List.of(), List.of(r.ip()), List.of(), List.of(r)));
        seen.addAll(requests());
        assertEquals(List.of("DELETE", "GET", "POST", "PUT", "PUT"), seen.stream().map(RecordedRequest::getMethod).sorted().toList());
        for (RecordedRequest q : seen) {
            assertEquals("Bearer test-token", q.getHeader("Authorization"), q.getMethod() + " " + q.getPath());
        }
    }

    /** A server error on a reservation is an unavailable store, with the server's own words. */
    @Test
    void aServerErrorOnAReservationCreateFailsTheCommitWithTheServersMessage() {
        String pool = BASE + "ippools/10.0.0.0-24";
        cluster.server.expect().get().withPath(pool).andReturn(200, pool("40")).once();
        // the pool is written first, and written back when the reservation fails
        cluster.server.expect().put().withPath(pool).andReturn(200, pool("41")).once();
        cluster.server.expect().put().withPath(pool).andReturn(200, pool("42")).once();
        cluster.server.expect().post().withPath(BASE + "overlappingrangeipreservations")
                .andReturn(500, status(500, "etcd is having a bad day")).once();
        Reservation r = new Reservation("", IpAddress.parse("10.0.0.5"), A);
        var e = assertThrows(StoreUnavailableException.class,
                () -> store.commit(PoolKey.of(Cidr.parse("10.0.0.0/24"), ""), new PoolVersion("40"),
                        new PoolChange(List.of(new Allocation(r.ip(), A)), List.of(), List.of(r), List.of())));
        assertTrue(e.details().contains("HTTP 500") && e.details().contains("etcd is having a bad day"), e.details());
    }

    /** {@link #addAtVersion31}, its requests taken out of the way. */
    private Reservation addedAtVersion31() throws InterruptedException {
        Reservation r = addAtVersion31();
        requests();
        return r;
    }

    /** Commits 10.0.0.5 to A against pool version 40; the reservation is created at version 31. */
    private Reservation addAtVersion31() {
        String pool = BASE + "ippools/10.0.0.0-24";
        cluster.server.expect().get().withPath(pool).andReturn(200, pool("40")).once();
        cluster.server.expect().put().withPath(pool).andReturn(200, pool("41")).once();
        cluster.server.expect().post().withPath(BASE + "overlappingrangeipreservations")
                .andReturn(201, reservation("10.0.0.5", "31", A)).once();
        Reservation r = new Reservation("", IpAddress.parse("10.0.0.5"), A);
        assertInstanceOf(CommitOutcome.Committed.class, store.commit(PoolKey.of(Cidr.parse("10.0.0.0/24"), ""),
                new PoolVersion("40"), new PoolChange(List.of(new Allocation(r.ip(), A)), List.of(), List.of(r), List.of())));
        return r;
    }

    static GenericKubernetesResource pool(String rv) {
        GenericKubernetesResource pool = PoolObjects.newPool(PoolKey.of(Cidr.parse("10.0.0.0/24"), ""), "ns");
        pool.getMetadata().setResourceVersion(rv);
        return pool;
    }

    /** An answer chosen by the request body, for requests that run at once on one path. */
    static ResponseProvider<Object> byBody(Function<String, Map.Entry<Integer, Object>> answer) {
        return new ResponseProvider<>() {
            private Headers headers = Headers.builder().build();
            // a request's body can be read once: decide once per request
            private final Map<RecordedRequest, Map.Entry<Integer, Object>> decided =
                    java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

            private Map.Entry<Integer, Object> decide(RecordedRequest request) {
                return decided.computeIfAbsent(request, r -> answer.apply(r.getUtf8Body()));
            }

            @Override
            public Object getBody(RecordedRequest request) {
                return decide(request).getValue();
            }

            @Override
            public int getStatusCode(RecordedRequest request) {
                return decide(request).getKey();
            }

            @Override
            public Headers getHeaders() {
                return headers;
            }

            @Override
            public void setHeaders(Headers headers) {
                this.headers = headers;
            }
        };
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
    void aReservationHeldByAnotherPodOnARealServerIsTaken() throws Exception {
        String res = BASE + "overlappingrangeipreservations";
        cluster.server.expect().post().withPath(res).andReturn(409, status(409, "AlreadyExists")).once();
        cluster.server.expect().get().withPath(res + "/10.0.0.5").andReturn(200, reservation("10.0.0.5", "3", B)).once();
        Reservation r = new Reservation("", IpAddress.parse("10.0.0.5"), A);
        var out = store.commit(PoolKey.of(Cidr.parse("10.0.0.0/24"), ""), PoolVersion.ABSENT,
                new PoolChange(List.of(new Allocation(r.ip(), A)), List.of(), List.of(r), List.of()));
        var taken = assertInstanceOf(CommitOutcome.ReservationTaken.class, out);
        assertEquals(new Reservation("", r.ip(), B), taken.holder());
        assertNoPoolWrite();
    }

    /** A pool's first write claims its reservations first: a refused one never creates the object. */
    private void assertNoPoolWrite() throws InterruptedException {
        List<RecordedRequest> seen = requests();
        assertTrue(seen.stream().noneMatch(q -> q.getPath().contains("/ippools")), "no pool write: " + seen);
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
        assertNoPoolWrite();
    }
}
