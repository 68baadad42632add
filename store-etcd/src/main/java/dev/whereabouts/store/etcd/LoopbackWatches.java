package dev.whereabouts.store.etcd;

import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * etcd's Watch service of a {@link LoopbackEtcd}: each watch of a stream follows a key or a range
 * from its start revision. Events go out under the stream's own lock, as gRPC wants one writer.
 */
final class LoopbackWatches extends WatchGrpc.WatchImplBase {

    private final LoopbackKeyspace keys;
    private final AtomicLong ids;

    LoopbackWatches(LoopbackKeyspace keys, AtomicLong ids) {
        this.keys = keys;
        this.ids = ids;
    }

    @Override
    public StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> out) {
        Map<Long, Consumer<List<Event>>> open = new ConcurrentHashMap<>();
        return new StreamObserver<>() {
            @Override
            public void onNext(WatchRequest request) {
                if (request.hasCreateRequest()) {
                    WatchCreateRequest c = request.getCreateRequest();
                    long id = ids.incrementAndGet();
                    send(WatchResponse.newBuilder().setHeader(keys.header()).setWatchId(id).setCreated(true).build());
                    Consumer<List<Event>> listener = events -> {
                        List<Event> mine = events.stream()
                                .filter(e -> LoopbackKeyspace.inRange(e.getKv().getKey(), c.getKey(), c.getRangeEnd()))
                                .filter(e -> e.getKv().getModRevision() >= c.getStartRevision())
                                .toList();
                        if (!mine.isEmpty()) {
                            send(WatchResponse.newBuilder().setHeader(keys.header()).setWatchId(id)
                                    .addAllEvents(mine).build());
                        }
                    };
                    open.put(id, listener);
                    keys.listen(c.getStartRevision(), listener);
                } else if (request.hasCancelRequest()) {
                    long id = request.getCancelRequest().getWatchId();
                    Consumer<List<Event>> gone = open.remove(id);
                    if (gone != null) {
                        keys.unlisten(gone);
                        send(WatchResponse.newBuilder().setHeader(keys.header()).setWatchId(id).setCanceled(true).build());
                    }
                }
            }

            @Override
            public void onError(Throwable t) {
                onCompleted();
            }

            @Override
            public void onCompleted() {
                open.values().forEach(keys::unlisten);
                open.clear();
                synchronized (out) {
                    try {
                        out.onCompleted();
                    } catch (RuntimeException e) {
                        // the stream is gone already
                    }
                }
            }

            private void send(WatchResponse response) {
                synchronized (out) {
                    try {
                        out.onNext(response);
                    } catch (RuntimeException e) {
                        // cancelled by the client; its onError/onCompleted tidies up
                    }
                }
            }
        };
    }
}
