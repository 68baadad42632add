package dev.whereabouts.bench.fault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP proxy in front of an HTTP server that can misbehave on command: answer every
 * request with 503, delay every answer, or reset every connection. Switching to a fault closes the
 * connections already open, so clients that keep connections alive meet the fault too.
 */
final class FaultProxy implements AutoCloseable {

    /** How the proxy treats traffic. */
    enum Mode { PASS, ERROR_503, SLOW, RESET }

    private static final byte[] UNAVAILABLE = ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
            + "Connection: close\r\nContent-Length: 78\r\n\r\n"
            + "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":503,\"reason\":\"\"}")
            .getBytes(StandardCharsets.US_ASCII);

    private final int upstream;
    private final long slowMillis;
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile Mode mode = Mode.PASS;

    /** Listens on a free loopback port and forwards to {@code upstreamPort}; SLOW delays each answer by {@code slowMillis}. */
    FaultProxy(int upstreamPort, long slowMillis) {
        this.upstream = upstreamPort;
        this.slowMillis = slowMillis;
        try {
            server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofVirtual().name("fault-proxy-accept").start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    void mode(Mode next) {
        mode = next;
        if (next == Mode.ERROR_503 || next == Mode.RESET) {
            open.forEach(FaultProxy::reset);
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread.ofVirtual().start(() -> serve(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        switch (mode) {
            case RESET -> reset(client);
            case ERROR_503 -> answer503(client);
            default -> pipe(client);
        }
    }

    private void pipe(Socket client) {
        Socket up;
        try {
            up = new Socket(InetAddress.getLoopbackAddress(), upstream);
        } catch (IOException e) {
            reset(client);
            return;
        }
        open.add(client);
        open.add(up);
        Thread.ofVirtual().start(() -> pump(client, up, false));
        pump(up, client, true);
    }

    private void pump(Socket from, Socket to, boolean answers) {
        byte[] buf = new byte[16384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                if (answers && mode == Mode.SLOW) {
                    Thread.sleep(slowMillis);
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // one side went away: so does the other
        } finally {
            close(from);
            close(to);
        }
    }

    /** Reads one request head (and body) and answers 503, as an overloaded API server would. */
    private void answer503(Socket client) {
        try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
            StringBuilder head = new StringBuilder();
            int b;
            while (!head.toString().endsWith("\r\n\r\n") && (b = in.read()) >= 0) {
                head.append((char) b);
            }
            String h = head.toString().toLowerCase(java.util.Locale.ROOT);
            int at = h.indexOf("content-length:");
            if (at >= 0) {
                long body = Long.parseLong(h.substring(at + 15, h.indexOf('\r', at)).strip());
                in.skipNBytes(body);
            }
            out.write(UNAVAILABLE);
        } catch (IOException | RuntimeException e) {
            // the client gave up first
        }
    }

    private void close(Socket s) {
        open.remove(s);
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private static void reset(Socket s) {
        try (s) {
            s.setSoLinger(true, 0); // close with RST, not FIN
        } catch (IOException ignored) {
            // already gone
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // nothing to do
        }
        open.forEach(FaultProxy::reset);
    }
}
