package dev.whereabouts.store.etcd;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.DeleteRangeResponse;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrantResponse;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.etcd.jetcd.api.LeaseRevokeResponse;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.PutResponse;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.etcd.jetcd.api.lock.LockGrpc;
import io.etcd.jetcd.api.lock.LockRequest;
import io.etcd.jetcd.api.lock.LockResponse;
import io.etcd.jetcd.api.lock.UnlockRequest;
import io.etcd.jetcd.api.lock.UnlockResponse;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in etcd on a loopback port of this process, speaking the gRPC services the etcd store
 * uses (KV, Watch, Lease, Lock) over a {@link LoopbackKeyspace}: the counterpart of etcd for a
 * daemon's start-up warm-up ({@link LoopbackWarmup}). Plain HTTP/2, no auth, leases never expire.
 */
final class LoopbackEtcd implements AutoCloseable {

    private static final long LOCK_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final LoopbackKeyspace keys = new LoopbackKeyspace();
    private final AtomicLong ids = new AtomicLong(0x1000);
    private final Server server;

    private LoopbackEtcd() throws IOException {
        server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .addService(new Kv()).addService(new LoopbackWatches(keys, ids)).addService(new Leases()).addService(new Locks())
                .build().start();
    }

    /** Starts one on a free loopback port. */
    static LoopbackEtcd start() throws IOException {
        return new LoopbackEtcd();
    }

    /** The endpoint a client is given. */
    String endpoint() {
        return "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + server.getPort();
    }

    /** The keyspace's revision: how many writes it took. */
    long revision() {
        return keys.revision();
    }

    /** How many keys it holds. */
    int keyCount() {
        return keys.size();
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static <T> void answer(StreamObserver<T> to, T response) {
        to.onNext(response);
        to.onCompleted();
    }

    private final class Kv extends KVGrpc.KVImplBase {
        @Override
        public void range(RangeRequest request, StreamObserver<RangeResponse> out) {
            answer(out, keys.range(request));
        }

        @Override
        public void put(PutRequest request, StreamObserver<PutResponse> out) {
            answer(out, keys.put(request));
        }

        @Override
        public void deleteRange(DeleteRangeRequest request, StreamObserver<DeleteRangeResponse> out) {
            answer(out, keys.deleteRange(request));
        }

        @Override
        public void txn(TxnRequest request, StreamObserver<TxnResponse> out) {
            answer(out, keys.txn(request));
        }
    }

    private final class Leases extends LeaseGrpc.LeaseImplBase {
        @Override
        public void leaseGrant(LeaseGrantRequest request, StreamObserver<LeaseGrantResponse> out) {
            long id = request.getID() != 0 ? request.getID() : ids.incrementAndGet();
            answer(out, LeaseGrantResponse.newBuilder().setHeader(keys.header()).setID(id).setTTL(request.getTTL()).build());
        }

        @Override
        public void leaseRevoke(LeaseRevokeRequest request, StreamObserver<LeaseRevokeResponse> out) {
            keys.revoke(request.getID());
            answer(out, LeaseRevokeResponse.newBuilder().setHeader(keys.header()).build());
        }

        @Override
        public StreamObserver<LeaseKeepAliveRequest> leaseKeepAlive(StreamObserver<LeaseKeepAliveResponse> out) {
            return new StreamObserver<>() {
                @Override
                public void onNext(LeaseKeepAliveRequest request) {
                    out.onNext(LeaseKeepAliveResponse.newBuilder().setHeader(keys.header()).setID(request.getID())
                            .setTTL(PoolTurns.LEASE_SECONDS).build());
                }

                @Override
                public void onError(Throwable t) {
                    // the client went away
                }

                @Override
                public void onCompleted() {
                    out.onCompleted();
                }
            };
        }
    }

    /** etcd's lock service: a key per waiter under the name, the oldest one holds the lock. */
    private final class Locks extends LockGrpc.LockImplBase {
        @Override
        public void lock(LockRequest request, StreamObserver<LockResponse> out) {
            ByteString prefix = request.getName().concat(ByteString.copyFromUtf8("/"));
            ByteString key = prefix.concat(ByteString.copyFrom(Long.toHexString(request.getLease()), StandardCharsets.UTF_8));
            if (keys.get(key) == null) {
                keys.put(PutRequest.newBuilder().setKey(key).setLease(request.getLease()).build());
            }
            long deadline = System.nanoTime() + LOCK_WAIT_NANOS;
            try {
                while (keys.get(key) != null && keys.firstCreated(prefix) != keys.get(key).getCreateRevision()) {
                    if (!keys.awaitWrite(deadline)) {
                        out.onError(Status.DEADLINE_EXCEEDED.asRuntimeException());
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                out.onError(Status.CANCELLED.asRuntimeException());
                return;
            }
            answer(out, LockResponse.newBuilder().setHeader(keys.header()).setKey(key).build());
        }

        @Override
        public void unlock(UnlockRequest request, StreamObserver<UnlockResponse> out) {
            keys.deleteRange(DeleteRangeRequest.newBuilder().setKey(request.getKey()).build());
            answer(out, UnlockResponse.newBuilder().setHeader(keys.header()).build());
        }
    }
}
