package dev.whereabouts.store.etcd;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.DeleteRangeResponse;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.PutResponse;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.ResponseHeader;
import io.etcd.jetcd.api.ResponseOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The keys of a {@link LoopbackEtcd}: etcd's data model (revisions, versions, transactions, a
 * short event history for watches) in memory, for one daemon's start-up warm-up. Not a store: it
 * keeps nothing, checks no auth and never compacts beyond dropping old history.
 *
 * <p>All methods hold the object's monitor, so a transaction is atomic as in etcd, and a lock
 * waiter can wait on it for a delete.
 */
final class LoopbackKeyspace {

    /** Events a watch may ask to replay; the warm-up's watches start at most a few writes back. */
    private static final int HISTORY = 4096;

    private final NavigableMap<ByteString, KeyValue> keys = new TreeMap<>(ByteString.unsignedLexicographicalComparator());
    private final List<Event> history = new ArrayList<>();
    private final List<Consumer<List<Event>>> listeners = new ArrayList<>();
    private long revision = 1;
    /** Events of the transaction being applied; written revisions are one per transaction, as in etcd. */
    private List<Event> pending;

    synchronized ResponseHeader header() {
        return ResponseHeader.newBuilder().setClusterId(1).setMemberId(1).setRevision(revision).setRaftTerm(1).build();
    }

    synchronized long revision() {
        return revision;
    }

    synchronized int size() {
        return keys.size();
    }

    synchronized RangeResponse range(RangeRequest r) {
        List<KeyValue> hits = matching(r.getKey(), r.getRangeEnd());
        RangeResponse.Builder out = RangeResponse.newBuilder().setCount(hits.size());
        if (!r.getCountOnly()) {
            int n = r.getLimit() > 0 ? (int) Math.min(r.getLimit(), hits.size()) : hits.size();
            for (KeyValue kv : hits.subList(0, n)) {
                out.addKvs(r.getKeysOnly() ? kv.toBuilder().clearValue().build() : kv);
            }
            out.setMore(n < hits.size());
        }
        return out.setHeader(header()).build();
    }

    synchronized PutResponse put(PutRequest r) {
        return inWrite(() -> putNow(r)).setHeader(header()).build();
    }

    synchronized DeleteRangeResponse deleteRange(DeleteRangeRequest r) {
        return inWrite(() -> deleteNow(r)).setHeader(header()).build();
    }

    synchronized TxnResponse txn(TxnRequest r) {
        return inWrite(() -> txnNow(r)).setHeader(header()).build();
    }

    /** Deletes the keys held by {@code lease} (a revoked lease). */
    synchronized void revoke(long lease) {
        inWrite(() -> {
            for (KeyValue kv : List.copyOf(keys.values())) {
                if (kv.getLease() == lease) {
                    deleteNow(DeleteRangeRequest.newBuilder().setKey(kv.getKey()).build());
                }
            }
            return null;
        });
    }

    /** The lowest create revision among the keys that start with {@code prefix}, or 0 when none. */
    synchronized long firstCreated(ByteString prefix) {
        return matching(prefix, prefixEnd(prefix)).stream().mapToLong(KeyValue::getCreateRevision).min().orElse(0);
    }

    synchronized KeyValue get(ByteString key) {
        return keys.get(key);
    }

    /**
     * Waits a little for a write, or until {@code deadlineNanos}; false when that has passed. The
     * caller checked its condition outside this monitor, so a write may have come in between: the
     * wait is short, and the caller checks again.
     */
    synchronized boolean awaitWrite(long deadlineNanos) throws InterruptedException {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        wait(Math.max(1, Math.min(50, left / 1_000_000)));
        return true;
    }

    /**
     * Calls {@code listener} with the events since {@code startRevision} (0: none) and then with
     * each transaction's events, until {@link #unlisten}.
     */
    synchronized void listen(long startRevision, Consumer<List<Event>> listener) {
        if (startRevision > 0) {
            List<Event> past = history.stream().filter(e -> e.getKv().getModRevision() >= startRevision).toList();
            if (!past.isEmpty()) {
                listener.accept(past);
            }
        }
        listeners.add(listener);
    }

    synchronized void unlisten(Consumer<List<Event>> listener) {
        listeners.remove(listener);
    }

    /** The key after every key that starts with {@code prefix}: etcd's range end for a prefix. */
    static ByteString prefixEnd(ByteString prefix) {
        byte[] end = prefix.toByteArray();
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xff) {
                end[i]++;
                return ByteString.copyFrom(end, 0, i + 1);
            }
        }
        return ByteString.copyFrom(new byte[] {0}); // all keys
    }

    static boolean inRange(ByteString key, ByteString from, ByteString end) {
        var order = ByteString.unsignedLexicographicalComparator();
        if (end.isEmpty()) {
            return key.equals(from);
        }
        boolean toTheEnd = end.size() == 1 && end.byteAt(0) == 0;
        return order.compare(key, from) >= 0 && (toTheEnd || order.compare(key, end) < 0);
    }

    private List<KeyValue> matching(ByteString from, ByteString end) {
        if (end.isEmpty()) {
            KeyValue kv = keys.get(from);
            return kv == null ? List.of() : List.of(kv);
        }
        boolean toTheEnd = end.size() == 1 && end.byteAt(0) == 0;
        return List.copyOf((toTheEnd ? keys.tailMap(from, true) : keys.subMap(from, true, end, false)).values());
    }

    private <T> T inWrite(java.util.function.Supplier<T> body) {
        boolean outer = pending == null;
        if (outer) {
            pending = new ArrayList<>();
        }
        try {
            return body.get();
        } finally {
            if (outer) {
                List<Event> events = pending;
                pending = null;
                if (!events.isEmpty()) {
                    history.addAll(events);
                    if (history.size() > HISTORY) {
                        history.subList(0, history.size() - HISTORY).clear();
                    }
                    List.copyOf(listeners).forEach(l -> l.accept(events));
                    notifyAll();
                }
            }
        }
    }

    /** The revision this transaction writes at: the next one, taken by its first write. */
    private long writeRevision() {
        if (pending.isEmpty()) {
            revision++;
        }
        return revision;
    }

    private PutResponse.Builder putNow(PutRequest r) {
        long rev = writeRevision();
        KeyValue old = keys.get(r.getKey());
        KeyValue kv = KeyValue.newBuilder().setKey(r.getKey()).setValue(r.getValue()).setLease(r.getLease())
                .setCreateRevision(old == null ? rev : old.getCreateRevision()).setModRevision(rev)
                .setVersion(old == null ? 1 : old.getVersion() + 1).build();
        keys.put(r.getKey(), kv);
        pending.add(Event.newBuilder().setType(Event.EventType.PUT).setKv(kv).build());
        PutResponse.Builder out = PutResponse.newBuilder();
        if (r.getPrevKv() && old != null) {
            out.setPrevKv(old);
        }
        return out;
    }

    private DeleteRangeResponse.Builder deleteNow(DeleteRangeRequest r) {
        List<KeyValue> gone = matching(r.getKey(), r.getRangeEnd());
        DeleteRangeResponse.Builder out = DeleteRangeResponse.newBuilder().setDeleted(gone.size());
        if (!gone.isEmpty()) {
            long rev = writeRevision();
            for (KeyValue kv : gone) {
                keys.remove(kv.getKey());
                pending.add(Event.newBuilder().setType(Event.EventType.DELETE)
                        .setKv(KeyValue.newBuilder().setKey(kv.getKey()).setModRevision(rev)).build());
                if (r.getPrevKv()) {
                    out.addPrevKvs(kv);
                }
            }
        }
        return out;
    }

    private TxnResponse.Builder txnNow(TxnRequest r) {
        boolean ok = r.getCompareList().stream().allMatch(this::holds);
        TxnResponse.Builder out = TxnResponse.newBuilder().setSucceeded(ok);
        for (RequestOp op : ok ? r.getSuccessList() : r.getFailureList()) {
            out.addResponses(switch (op.getRequestCase()) {
                case REQUEST_RANGE -> ResponseOp.newBuilder().setResponseRange(range(op.getRequestRange()));
                case REQUEST_PUT -> ResponseOp.newBuilder().setResponsePut(putNow(op.getRequestPut()).setHeader(header()));
                case REQUEST_DELETE_RANGE -> ResponseOp.newBuilder()
                        .setResponseDeleteRange(deleteNow(op.getRequestDeleteRange()).setHeader(header()));
                case REQUEST_TXN -> ResponseOp.newBuilder().setResponseTxn(txnNow(op.getRequestTxn()).setHeader(header()));
                case REQUEST_NOT_SET -> ResponseOp.newBuilder();
            });
        }
        return out;
    }

    private boolean holds(Compare c) {
        List<KeyValue> hits = matching(c.getKey(), c.getRangeEnd());
        if (hits.isEmpty()) {
            hits = c.getRangeEnd().isEmpty() ? List.of(KeyValue.getDefaultInstance()) : List.of();
        }
        for (KeyValue kv : hits) {
            int order = switch (c.getTarget()) {
                case VERSION -> Long.compare(kv.getVersion(), c.getVersion());
                case CREATE -> Long.compare(kv.getCreateRevision(), c.getCreateRevision());
                case MOD -> Long.compare(kv.getModRevision(), c.getModRevision());
                case VALUE -> ByteString.unsignedLexicographicalComparator().compare(kv.getValue(), c.getValue());
                case UNRECOGNIZED -> throw new IllegalArgumentException("unknown compare target");
            };
            boolean holds = switch (c.getResult()) {
                case EQUAL -> order == 0;
                case NOT_EQUAL -> order != 0;
                case GREATER -> order > 0;
                case LESS -> order < 0;
                case UNRECOGNIZED -> throw new IllegalArgumentException("unknown compare result");
            };
            if (!holds) {
                return false;
            }
        }
        return true;
    }
}
