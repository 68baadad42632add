package dev.whereabouts.store.kubernetes;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Locale;

/**
 * One socket to the API server and the HTTP/1.1 framing of an answer on it: a status line, headers,
 * then a body framed by {@code Content-Length}, by chunks, or by the end of the stream.
 */
final class Http1Connection {

    /** An answer, and whether the socket can carry the next request. */
    record Response(int code, byte[] body, boolean keepAlive) {}

    /**
     * The socket failed before a single byte of an answer arrived, and not by a timeout: a kept-alive
     * socket the server had already closed.
     */
    static final class NothingReceived extends IOException {
        NothingReceived(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Above this an answer is not from an API server we understand; reservations are a few hundred bytes. */
    static final int MAX_BODY = 16 << 20;
    private static final int MAX_LINE = 64 << 10;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private long idleSince;

    Http1Connection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 8 << 10);
        this.out = socket.getOutputStream();
    }

    /** When the last answer was read, by {@link System#nanoTime()}. */
    long idleSince() {
        return idleSince;
    }

    /** Writes a whole request and reads its answer. */
    Response exchange(byte[] request) throws IOException {
        int first;
        try {
            out.write(request);
            out.flush();
            first = in.read();
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            throw new NothingReceived(e.toString(), e);
        }
        if (first < 0) {
            throw new NothingReceived("the server closed the connection", null);
        }
        Response r = read(first);
        idleSince = System.nanoTime();
        return r;
    }

    private Response read(int first) throws IOException {
        String status = line(first);
        int code = code(status);
        while (code >= 100 && code < 200) { // interim answers (100 Continue, 103) precede the real one
            skipHeaders();
            status = line(in.read());
            code = code(status);
        }
        boolean keepAlive = status.startsWith("HTTP/1.1");
        long length = -1;
        boolean chunked = false;
        for (String h = line(in.read()); !h.isEmpty(); h = line(in.read())) {
            int colon = h.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header line in the answer: " + h);
            }
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> keepAlive &= !value.equalsIgnoreCase("close");
                default -> { }
            }
        }
        byte[] body;
        if (code == 204 || code == 304) {
            body = new byte[0];
        } else if (chunked) {
            body = chunks();
        } else if (length >= 0) {
            body = exactly(length);
        } else {
            body = untilEnd(); // no framing: the body ends with the connection
            keepAlive = false;
        }
        return new Response(code, body, keepAlive);
    }

    private static int code(String status) throws IOException {
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP answer: " + status);
        }
        try {
            return Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP status: " + status);
        }
    }

    private void skipHeaders() throws IOException {
        while (!line(in.read()).isEmpty()) {
            // interim headers carry nothing we use
        }
    }

    private byte[] chunks() throws IOException {
        var body = new ByteArrayOutputStream();
        while (true) {
            String size = line(in.read());
            int ext = size.indexOf(';');
            long n;
            try {
                n = Long.parseLong((ext >= 0 ? size.substring(0, ext) : size).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("malformed chunk size: " + size);
            }
            if (n == 0) {
                skipHeaders(); // trailers, then the blank line
                return body.toByteArray();
            }
            if (n < 0 || body.size() + n > MAX_BODY) {
                throw new IOException("answer body over " + MAX_BODY + " bytes");
            }
            body.write(exactly(n));
            if (!line(in.read()).isEmpty()) {
                throw new IOException("a chunk did not end where its size said");
            }
        }
    }

    private byte[] exactly(long n) throws IOException {
        if (n > MAX_BODY) {
            throw new IOException("answer body over " + MAX_BODY + " bytes");
        }
        byte[] b = in.readNBytes((int) n);
        if (b.length < n) {
            throw new EOFException("the answer ended after " + b.length + " of " + n + " bytes");
        }
        return b;
    }

    private byte[] untilEnd() throws IOException {
        byte[] b = in.readNBytes(MAX_BODY + 1);
        if (b.length > MAX_BODY) {
            throw new IOException("answer body over " + MAX_BODY + " bytes");
        }
        return b;
    }

    /** A line that starts with the byte {@code first}, without its CRLF (or bare LF). */
    private String line(int first) throws IOException {
        var sb = new StringBuilder(64);
        for (int c = first; c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("the answer ended inside a line");
            }
            if (sb.length() >= MAX_LINE) {
                throw new IOException("answer line over " + MAX_LINE + " bytes");
            }
            sb.append((char) c); // ISO-8859-1: headers are ASCII, and bodies are not read here
        }
        int end = sb.length();
        return end > 0 && sb.charAt(end - 1) == '\r' ? sb.substring(0, end - 1) : sb.toString();
    }

    void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing was waiting on it
        }
    }
}
