package dev.whereabouts.store.etcd;

import io.etcd.jetcd.Client;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconnects on demand instead of on gRPC's schedule.
 *
 * <p>Why: while etcd is down, gRPC spaces its connection attempts by an exponential back-off (1 s,
 * growing by 1.6 up to 2 min), and every call in between fails at once with the last
 * "Connection refused" — for 1–1.5 s after a short outage, 4.5 s after a 20-s one, although etcd
 * is already serving. Before each RPC, a channel in {@code TRANSIENT_FAILURE} is told to drop its
 * back-off ({@link ManagedChannel#resetConnectBackoff()}), so a call made once etcd is back
 * connects at once. Attempts are then paced by our calls, each a cheap loopback or LAN connect,
 * not by a timer.
 *
 * <p>Resetting the back-off only schedules the attempt: an RPC started in the same instant still
 * sees {@code TRANSIENT_FAILURE} and fails fast with the stale error, and so can jetcd's one retry
 * 100 ms later on a loaded machine. So before an operation starts, {@link #revive} waits for that
 * one attempt to end (connected or refused), bounded by {@link #ATTEMPT_WAIT_NANOS} and the operation's
 * deadline. The wait runs on the caller's thread, never on a gRPC or jetcd thread. A refused
 * connect ends the attempt at once, so calls during an outage still fail fast.
 *
 * <p>jetcd does not expose its channel; it is read from the client's connection manager by
 * reflection (jetcd is an automatic module, so its packages are open). If that ever fails, the
 * store works as before, with gRPC's back-off.
 */
final class Reconnect implements ClientInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(Reconnect.class);

    /** Longest wait for one connect attempt: a loopback or LAN connect, TLS included, takes far less. */
    static final long ATTEMPT_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

    private volatile ManagedChannel channel;

    /** Finds the client's channel; call once, right after the client is built. */
    void attach(Client client) {
        try {
            Field f = client.getClass().getDeclaredField("connectionManager");
            f.setAccessible(true);
            Object manager = f.get(client);
            Method get = manager.getClass().getDeclaredMethod("getChannel");
            get.setAccessible(true);
            channel = (ManagedChannel) get.invoke(manager);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("etcd client channel not reachable ({}); reconnects follow gRPC's back-off", e.toString());
        }
    }

    /** Whether reconnects are on demand (the channel was found). */
    boolean attached() {
        return channel != null;
    }

    /**
     * If the channel is failed, starts a fresh connect attempt and waits until it ends, or until
     * {@code deadlineNanos} (a {@link System#nanoTime()} value) or {@link #ATTEMPT_WAIT_NANOS}.
     */
    void revive(long deadlineNanos) {
        ManagedChannel ch = channel;
        if (ch == null || ch.getState(false) != ConnectivityState.TRANSIENT_FAILURE) {
            return;
        }
        ch.resetConnectBackoff();
        long until = Math.min(deadlineNanos, System.nanoTime() + ATTEMPT_WAIT_NANOS);
        boolean attempted = false;
        while (true) {
            ConnectivityState state = ch.getState(false);
            if (state == ConnectivityState.READY || state == ConnectivityState.SHUTDOWN
                    || state == ConnectivityState.IDLE && attempted
                    || state == ConnectivityState.TRANSIENT_FAILURE && attempted) {
                return;
            }
            attempted |= state == ConnectivityState.CONNECTING;
            long left = until - System.nanoTime();
            if (left <= 0) {
                return;
            }
            CountDownLatch changed = new CountDownLatch(1);
            ch.notifyWhenStateChanged(state, changed::countDown);
            try {
                changed.await(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        ManagedChannel ch = channel;
        if (ch != null && ch.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
            ch.resetConnectBackoff();
        }
        return next.newCall(method, options);
    }
}
