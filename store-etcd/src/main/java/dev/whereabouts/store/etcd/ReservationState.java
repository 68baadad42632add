package dev.whereabouts.store.etcd;

import dev.whereabouts.ipam.api.Reservation;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import java.util.List;

/**
 * What a commit believes one reservation key holds, and the compare that makes the transaction
 * fail if the belief is wrong. A belief is either observed (read at a mod revision) or assumed (the
 * cheap first guess that saves a read round trip on every ADD and DEL).
 *
 * @param held the reservation, or null when absent
 * @param modRevision the observed mod revision; 0 when absent or assumed
 * @param assumed whether {@code held} is a guess checked by value instead of by revision
 */
record ReservationState(Reservation held, long modRevision, boolean assumed) {

    /** Assumed absent: what an ADD of a free address expects. */
    static final ReservationState ASSUMED_ABSENT = new ReservationState(null, 0, true);

    /** Assumed to hold exactly this value: what a DEL of one's own address expects. */
    static ReservationState assumedHeld(Reservation r) {
        return new ReservationState(r, 0, true);
    }

    /** What a get of the key returned. */
    static ReservationState observed(List<KeyValue> kvs) {
        if (kvs.isEmpty()) {
            return new ReservationState(null, 0, false);
        }
        KeyValue kv = kvs.getFirst();
        return new ReservationState(Values.reservation(kv), kv.getModRevision(), false);
    }

    /**
     * A compare that holds only while the key still is what this state says. etcd fails a value
     * compare on a missing key, so an assumed holder that is gone is caught too.
     */
    Cmp guard(ByteSequence key) {
        if (held == null) {
            return new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0));
        }
        if (assumed) {
            return new Cmp(key, Cmp.Op.EQUAL, CmpTarget.value(Values.reservation(held)));
        }
        return new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(modRevision));
    }
}
