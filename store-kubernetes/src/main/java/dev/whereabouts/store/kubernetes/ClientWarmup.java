package dev.whereabouts.store.kubernetes;

import dev.whereabouts.ipam.api.Allocation;
import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.api.PoolChange;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.Reservation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;

/**
 * The store's side of a fresh daemon's start-up warm-up ({@link KubernetesStoreProvider#warmUp}):
 * the objects a burst's calls exchange with the API server (an {@code IPPool} with its entries, a
 * reservation, a turn Lease as a watch event delivers it, a conflict's {@code Status}) decoded and
 * encoded through the serialization every client of the process shares, and the store's own
 * reading and writing of them. No request is made.
 *
 * <p>Why: JFR CPU samples of ten fresh daemons in a 1,000-ADD burst on the mock API server showed a
 * third of their time in fabric8 and Jackson code met for the first time (class loading from the
 * jars, deserializers being built, interpreted decoding of watch events and responses), which the
 * engine's file-store warm-up never reaches.
 */
final class ClientWarmup {

    /** Enough calls of the decoding methods for the daemon's JIT (C1) to compile them. */
    static final int ROUNDS = 250;
    private static final String NAMESPACE = "whereabouts-warmup";

    private ClientWarmup() {}

    static void run(KubernetesSerialization json, int rounds) {
        PoolKey key = PoolKey.of(Cidr.parse("10.255.0.0/24"), "warmup");
        List<Allocation> entries = new ArrayList<>();
        for (int i = 1; i <= 64; i++) {
            entries.add(new Allocation(key.range().network().plus(i), new Owner("warmup-" + i, "net1", "warmup/pod-" + i)));
        }
        GenericKubernetesResource pool = PoolObjects.newPool(key, NAMESPACE);
        pool.getMetadata().setResourceVersion("1");
        String poolJson = json.asJson(PoolObjects.applied(pool, key,
                new PoolChange(entries, List.of(), List.of(), List.of())));
        Reservation reservation = new Reservation("warmup", entries.getFirst().ip(), entries.getFirst().owner());
        String reservationJson = json.asJson(ReservationObjects.newReservation(reservation, NAMESPACE));
        String event = "{\"type\":\"MODIFIED\",\"object\":{\"apiVersion\":\"coordination.k8s.io/v1\",\"kind\":\"Lease\","
                + "\"metadata\":{\"name\":\"" + PoolTurnLeases.PREFIX + key.objectName() + "\",\"namespace\":\""
                + NAMESPACE + "\",\"resourceVersion\":\"7\",\"annotations\":{\"" + TurnClaim.ANNOTATION
                + "\":\"node-a 2026-01-01T00:00:01Z\"}},\"spec\":{\"holderIdentity\":\"node-b\","
                + "\"leaseDurationSeconds\":2,\"acquireTime\":\"2026-01-01T00:00:00.000000Z\","
                + "\"renewTime\":\"2026-01-01T00:00:00.000000Z\"}}}";
        String conflict = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                + "\"message\":\"the object has been modified\",\"reason\":\"Conflict\",\"code\":409}";
        IpAddress released = entries.getLast().ip();
        for (int i = 0; i < rounds; i++) {
            GenericKubernetesResource read = json.unmarshal(poolJson, GenericKubernetesResource.class);
            PoolObjects.allocations(read, key);
            json.asJson(PoolObjects.applied(read, key, PoolChange.remove(released)));
            ReservationObjects.parse(json.unmarshal(reservationJson, GenericKubernetesResource.class));
            WatchEvent delivered = json.unmarshal(event, WatchEvent.class);
            TurnClaim.of(json.convertValue(delivered.getObject(), GenericKubernetesResource.class));
            json.unmarshal(conflict, Status.class);
        }
    }
}
