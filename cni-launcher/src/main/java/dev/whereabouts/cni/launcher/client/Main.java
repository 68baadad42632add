package dev.whereabouts.cni.launcher.client;

import dev.whereabouts.ipam.engine.CniSpec;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The per-call plugin process: forwards {@code {env, stdin}} to the node daemon and prints its reply,
 * or has the full plugin run the call ({@link Fallback}) when no daemon listens.
 *
 * <p>This class and its package use only {@code java.base}; a test asserts that no JSON, logging,
 * engine or store class is loaded on the daemon path, which is what keeps the call short.
 */
public final class Main {

    // The engine's constants are compile-time constants: javac copies them here, so using them
    // loads no engine class on this java.base-only path.
    private static final String SUPPORTED = CniSpec.SUPPORTED_JSON;

    private Main() {
    }

    /** Entry point of {@code bin/whereabouts} for CNI calls. */
    public static void main(String[] args) {
        var out = new FileOutputStream(FileDescriptor.out);
        var err = new FileOutputStream(FileDescriptor.err);
        int status;
        try {
            Frames.Reply reply = call(System.getenv());
            err.write(reply.stderr());
            out.write(reply.stdout());
            status = reply.exitCode();
        } catch (Throwable t) {
            status = 1;
            try {
                out.write(Json.error(version, 999, "whereabouts plugin failure", String.valueOf(t))
                        .getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // stdout is gone; the exit status still says failure
            }
        }
        try {
            out.flush();
            err.flush();
        } catch (IOException ignored) {
            // nothing left to tell anyone
        }
        NativeExit.halt(status);
    }

    static Frames.Reply call(Map<String, String> env) throws IOException {
        String command = env.get("CNI_COMMAND");
        if (command == null || command.isEmpty()) {
            return new Frames.Reply(0, new byte[0], about().getBytes(StandardCharsets.UTF_8));
        }
        if (command.equals("VERSION")) {
            // the Go library ignores stdin for VERSION and answers with its own version
            return new Frames.Reply(0, CniSpec.VERSION_REPLY.getBytes(StandardCharsets.UTF_8), new byte[0]);
        }
        var request = new Frames.Request(env, System.in.readAllBytes());
        version = replyVersion(request.stdin());
        if (request.stdin().length > CniSpec.MAX_CONFIG_BYTES) {
            // the engine's own answer, given here: no frame is built for input it would refuse
            return error(6, CniSpec.OVERSIZE_MSG, "");
        }
        Path socket = SocketPath.find(env, request.stdin());
        Optional<Frames.Reply> reply;
        try {
            reply = DaemonClient.call(socket, request);
            if (reply.isEmpty()) {
                reply = RestartWait.await(socket, request, millis(env, "WHEREABOUTS_RESTART_WAIT_MS", RESTART_WAIT_MS));
            }
            if (reply.isEmpty()) {
                switch (FallbackGate.await(socket, request, millis(env, "WHEREABOUTS_FALLBACK_WAIT_MS", SLOT_WAIT_MS))) {
                    case FallbackGate.Turn.Answered a -> reply = Optional.of(a.reply());
                    case FallbackGate.Turn.Busy b -> {
                        return error(11, "whereabouts node busy", "every in-process slot stayed taken and no daemon answered");
                    }
                    case FallbackGate.Turn.Slot s -> {
                    }
                }
            }
        } catch (DaemonClient.BrokenCall e) {
            if (!command.equals("DEL")) {
                // the daemon may have done the work; let the runtime retry rather than guess
                return error(11, "whereabouts daemon call failed", e.getMessage());
            }
            reply = Optional.empty(); // DEL is idempotent: running it again here is safe
        }
        if (reply.isPresent()) {
            return reply.get();
        }
        return Fallback.run(request);
    }

    /** How long a call waits for a killed daemon's restart before it runs in-process. */
    static final long RESTART_WAIT_MS = 3000;
    /** How long a call waits for an in-process slot before it answers 11. */
    static final long SLOT_WAIT_MS = 30_000;

    /** The version of this call's error replies: the config's when it names one, as the daemon answers. */
    private static String version = CniSpec.NEWEST;

    static String replyVersion(byte[] stdin) {
        String v = SocketPath.scan(new String(stdin, StandardCharsets.UTF_8), "cniVersion");
        return v != null && SUPPORTED.contains('"' + v + '"') ? v : CniSpec.NEWEST;
    }

    private static Frames.Reply error(int code, String msg, String details) {
        return new Frames.Reply(1, Json.error(version, code, msg, details).getBytes(StandardCharsets.UTF_8), new byte[0]);
    }

    private static long millis(Map<String, String> env, String name, long fallback) {
        try {
            return Long.parseLong(env.getOrDefault(name, Long.toString(fallback)));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    static String about() {
        return "CNI whereabouts plugin (Java) 0.1.0\nCNI protocol versions supported: "
                + SUPPORTED.replace("\"", "").replace("[", "").replace("]", "").replace(",", ", ") + "\n";
    }
}
