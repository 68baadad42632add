package dev.whereabouts.cni.launcher.client;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The wire format between the plugin binary and the node daemon: one length-prefixed frame each way.
 *
 * <p>A frame is a big-endian {@code int} length followed by that many bytes. A request frame holds a
 * magic number, the environment as key/value pairs and the raw stdin; a reply frame holds the exit
 * code, the bytes for stdout and the bytes for stderr. Plain bytes instead of JSON keep the client
 * free of any JSON library and make the codec a few dozen lines that both sides share.
 */
public final class Frames {

    /** "WHB1": rejects a stray client speaking something else. */
    static final int MAGIC = 0x57484231;
    /** Larger frames are refused; a CNI config is a few kilobytes. */
    static final int MAX_FRAME = 16 << 20;

    private Frames() {
    }

    /** One forwarded CNI call. */
    public record Request(Map<String, String> env, byte[] stdin) {
    }

    /** What the plugin process must print and exit with. */
    public record Reply(int exitCode, byte[] stdout, byte[] stderr) {
    }

    /** Encodes a request frame body. */
    public static byte[] encodeRequest(Request request) {
        var bytes = new ByteArrayOutputStream(4096 + request.stdin().length);
        try (var out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(request.env().size());
            for (var e : request.env().entrySet()) {
                writeBytes(out, e.getKey().getBytes(StandardCharsets.UTF_8));
                writeBytes(out, e.getValue().getBytes(StandardCharsets.UTF_8));
            }
            writeBytes(out, request.stdin());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    /** Decodes a request frame body; IOException for anything malformed. */
    public static Request decodeRequest(byte[] body) throws IOException {
        var in = new DataInputStream(new java.io.ByteArrayInputStream(body));
        if (in.readInt() != MAGIC) {
            throw new IOException("not a whereabouts request frame");
        }
        int n = in.readInt();
        if (n < 0 || n > 10_000) {
            throw new IOException("bad environment size " + n);
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String k = new String(readBytes(in), StandardCharsets.UTF_8);
            env.put(k, new String(readBytes(in), StandardCharsets.UTF_8));
        }
        return new Request(env, readBytes(in));
    }

    /** Encodes a reply frame body. */
    public static byte[] encodeReply(Reply reply) {
        var bytes = new ByteArrayOutputStream(64 + reply.stdout().length + reply.stderr().length);
        try (var out = new DataOutputStream(bytes)) {
            out.writeInt(reply.exitCode());
            writeBytes(out, reply.stdout());
            writeBytes(out, reply.stderr());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    /** Decodes a reply frame body. */
    public static Reply decodeReply(byte[] body) throws IOException {
        var in = new DataInputStream(new java.io.ByteArrayInputStream(body));
        int exit = in.readInt();
        return new Reply(exit, readBytes(in), readBytes(in));
    }

    /** Writes one frame (length prefix and body). */
    public static void write(WritableByteChannel ch, byte[] body) throws IOException {
        var buf = ByteBuffer.allocate(4 + body.length);
        buf.putInt(body.length).put(body).flip();
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    /** Reads one frame body; EOFException when the peer closed before a whole frame arrived. */
    public static byte[] read(ReadableByteChannel ch) throws IOException {
        var len = ByteBuffer.allocate(4);
        fill(ch, len);
        int n = len.flip().getInt();
        if (n < 0 || n > MAX_FRAME) {
            throw new IOException("bad frame length " + n);
        }
        var body = ByteBuffer.allocate(n);
        fill(ch, body);
        return body.array();
    }

    private static void fill(ReadableByteChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) {
                throw new java.io.EOFException("connection closed mid-frame");
            }
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_FRAME) {
            throw new IOException("bad field length " + n);
        }
        return in.readNBytes(n);
    }
}
