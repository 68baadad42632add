package dev.whereabouts.store.etcd;

import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.api.StoreUnavailableException;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * Runs one etcd call within the configured timeout and turns every failure into a CNI-coded
 * exception. Two bounds apply: a gRPC deadline on each RPC (so nothing keeps running in the
 * background after we gave up) and a wait bound on the whole call, retries included.
 */
final class Calls {

    private final Duration timeout;
    private final String where;
    private final EtcdSettings settings;
    private final Reconnect reconnect;

    Calls(EtcdSettings settings, Reconnect reconnect) {
        this.settings = settings;
        this.reconnect = reconnect;
        this.timeout = settings.timeout();
        this.where = "etcd " + settings.endpoints();
    }

    /** Puts a deadline on every RPC that does not carry one. */
    ClientInterceptor deadlines() {
        long ms = timeout.toMillis();
        return new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
                CallOptions bounded = options.getDeadline() == null ? options.withDeadlineAfter(ms, TimeUnit.MILLISECONDS) : options;
                return next.newCall(method, bounded);
            }
        };
    }

    /** A deadline one timeout from now, for an operation made of several calls. */
    long deadline() {
        return System.nanoTime() + timeout.toNanos();
    }

    /** One call, bounded by the timeout. */
    <T> T run(String what, Supplier<CompletableFuture<T>> call) {
        return run(deadline(), what, call);
    }

    /** One call of a larger operation, bounded by what is left until {@code deadline}. */
    <T> T run(long deadline, String what, Supplier<CompletableFuture<T>> call) {
        long leftNanos = deadline - System.nanoTime();
        if (leftNanos <= 0) {
            throw new StoreUnavailableException(where + ": " + what + " did not finish within "
                    + timeout.toMillis() + " ms (etcd_timeout_ms)", null);
        }
        reconnect.revive(deadline);
        CompletableFuture<T> future;
        try {
            future = call.get();
        } catch (RuntimeException e) {
            throw translate(what, e);
        }
        try {
            // A little slack over the RPC deadline, so that the server's own answer wins the race.
            return future.get(TimeUnit.NANOSECONDS.toMillis(leftNanos) + 250, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new StoreUnavailableException(where + ": " + what + " did not answer within "
                    + timeout.toMillis() + " ms (etcd_timeout_ms)", e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException(where + ": " + what + " was interrupted", e);
        } catch (ExecutionException e) {
            throw translate(what, e.getCause() == null ? e : e.getCause());
        }
    }

    private IpamException translate(String what, Throwable failure) {
        if (failure instanceof IpamException ipam) {
            return ipam;
        }
        String chain = describe(failure);
        String lower = chain.toLowerCase(Locale.ROOT);
        String hint = "";
        if (lower.contains("deadline exceeded") || lower.contains("deadline_exceeded")) {
            return new StoreUnavailableException(where + ": " + what + " did not answer within "
                    + timeout.toMillis() + " ms (etcd_timeout_ms): " + chain, failure);
        }
        if (hasCause(failure, SSLException.class) || hasCause(failure, CertificateException.class)
                || lower.contains("ssl") || lower.contains("certificate") || lower.contains("handshake")) {
            hint = settings.tls()
                    ? " (TLS handshake or certificate failure: check etcd_ca_cert_file, etcd_cert_file, etcd_key_file and the server's certificate)"
                    : " (TLS failure: the endpoint may require https and client certificates)";
        } else if (lower.contains("authentication failed") || lower.contains("unauthenticated")
                || lower.contains("permission denied") || lower.contains("user name is empty")
                || lower.contains("invalid auth token")) {
            hint = " (authentication rejected: check etcd_username and etcd_password)";
        } else if (lower.contains("too many operations in txn")) {
            hint = " (the change is larger than etcd's --max-txn-ops; set etcd_max_txn_ops to the server's value)";
        }
        return new StoreUnavailableException(where + ": " + what + " failed" + hint + ": " + chain, failure);
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    /** The distinct messages of the cause chain: the useful one is often three levels down. */
    private static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        int depth = 0;
        for (Throwable c = t; c != null && depth < 6; c = c.getCause() == c ? null : c.getCause(), depth++) {
            String msg = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
            if (sb.indexOf(msg) < 0) {
                if (!sb.isEmpty()) {
                    sb.append(" <- ");
                }
                sb.append(msg);
            }
        }
        return sb.toString();
    }
}
