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
 * connects at once (jetcd's own retry, 100 ms later, finds the channel ready). Attempts are then
 * paced by our calls, each a cheap loopback or LAN connect, not by a timer.
 *
 * <p>jetcd does not expose its channel; it is read from the client's connection manager by
 * reflection (jetcd is an automatic module, so its packages are open). If that ever fails, the
 * store works as before, with gRPC's back-off.
 */
final class Reconnect implements ClientInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(Reconnect.class);

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

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        ManagedChannel ch = channel;
        if (ch != null && ch.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
            ch.resetConnectBackoff();
        }
        return next.newCall(method, options);
    }
}
