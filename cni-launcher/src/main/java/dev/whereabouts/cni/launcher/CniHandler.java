package dev.whereabouts.cni.launcher;

import dev.whereabouts.cni.launcher.client.Frames;
import dev.whereabouts.cni.launcher.client.Json;
import dev.whereabouts.cni.launcher.log.LogSink;
import dev.whereabouts.cni.launcher.log.Logs;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.engine.CniRequest;
import dev.whereabouts.ipam.engine.CniSpec;
import dev.whereabouts.ipam.engine.Ipam;
import dev.whereabouts.ipam.engine.IpamConfig;
import dev.whereabouts.ipam.engine.Release;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CNI protocol around the engine: environment and version checks, the six commands, results in
 * the config's {@code cniVersion}, and error objects with their codes. Used by the daemon (one
 * handler, many concurrent calls) and in-process (one call).
 */
public final class CniHandler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CniHandler.class);
    private static final byte[] NOTHING = new byte[0];

    private final Ipam ipam;
    private final PendingRetrier pending;

    /** Serves calls with {@code ipam}, which it closes on {@link #close()}. */
    public CniHandler(Ipam ipam) {
        this.ipam = ipam;
        this.pending = new PendingRetrier(ipam);
    }

    /**
     * Retries releases queued during store outages in the background until the store takes them
     * (the daemon); also learns {@code attachmentsDir}, where an earlier process may have left some.
     */
    public void retryPendingInBackground(Path attachmentsDir) {
        pending.start();
        pending.seen(attachmentsDir);
    }

    /**
     * Retries, once, the pending releases of the journals this handler's calls used (the in-process
     * path, after its call: the next run is the only chance it has).
     *
     * @return how many are still pending
     */
    public int retryPendingOnce() {
        return pending.runOnce();
    }

    /** The store provider names the engine found. */
    public java.util.List<String> storeNames() {
        return ipam.storeNames();
    }

    /**
     * Runs one call; log lines of the call end up in the reply's stderr (and in {@code log_file}).
     * Of {@code env}, only what a call may read counts ({@link CniRequest#callEnvironment}).
     */
    public Frames.Reply handle(Map<String, String> env, byte[] stdin) {
        var stderr = new ByteArrayOutputStream();
        var sink = new LogSink(stderr, Logs.process().level());
        Map<String, String> callEnv = CniRequest.callEnvironment(env);
        var out = Logs.with(sink, () -> dispatch(callEnv, stdin, sink));
        return new Frames.Reply(out.exitCode(), out.stdout(), stderr.toByteArray());
    }

    /**
     * The one path of every call: the engine checks the environment ({@link CniRequest}) and reads
     * stdin once ({@link Ipam#load}); this class only maps commands to engine calls and outcomes
     * to replies.
     */
    private Frames.Reply dispatch(Map<String, String> env, byte[] stdin, LogSink sink) {
        String command = env.getOrDefault("CNI_COMMAND", "");
        if (command.isEmpty()) {
            return new Frames.Reply(0, NOTHING, NOTHING);
        }
        if (command.equals("VERSION")) {
            return new Frames.Reply(0, CniSpec.VERSION_REPLY.getBytes(StandardCharsets.UTF_8), NOTHING);
        }
        String version = null;
        try {
            CniRequest request = CniRequest.of(env);
            IpamConfig config = ipam.load(stdin, request.cniArgs(), env);
            version = config.cniVersion();
            CniSpec.requireCommand(command, version);
            sink.configure(config.logFile(), config.logLevel());
            pending.seen(config.attachmentsDir());
            LOG.debug("{} for {} on {} ({})", command, request.containerId(), config.name(), config.datastore());
            Frames.Reply reply = run(request, config, version);
            pending.storeAnswered();
            return reply;
        } catch (IpamException e) {
            LOG.error("{} failed: {} {}", command, e.msg(), e.details());
            return error(version != null ? version : CniSpec.replyVersion(stdin), e.code(), e.msg(), e.details());
        } catch (RuntimeException | LinkageError e) {
            LOG.error("{} failed unexpectedly", command, e);
            return error(version != null ? version : CniSpec.replyVersion(stdin), IpamException.INTERNAL,
                    String.valueOf(e.getMessage()), e.toString());
        }
    }

    private Frames.Reply run(CniRequest request, IpamConfig config, String version) {
        switch (request.command()) {
            case "ADD" -> {
                String json = ipam.add(config, request.owner(config)).toJson(version);
                return new Frames.Reply(0, (json.endsWith("\n") ? json : json + "\n")
                        .getBytes(StandardCharsets.UTF_8), NOTHING);
            }
            case "DEL" -> {
                // A runtime never repeats a DEL that succeeded, and must not be blocked by a store
                // outage: what the store cannot take now is journalled and retried until it lands.
                switch (ipam.release(config, request.attachment())) {
                    case Release.Done d -> {
                    }
                    case Release.Queued q -> {
                        LOG.error("DEL of {}: the store did not answer ({}); release queued, retried until it lands",
                                request.attachment(), describe(q.cause()));
                        pending.queued();
                        return new Frames.Reply(0, NOTHING, NOTHING);
                    }
                    case Release.Unrecorded u -> {
                        LOG.error("DEL of {}: the store did not answer ({}) and the journal could not queue the release"
                                + " ({}); reporting success, the reconciler or 'whereabouts ctl release' must free it",
                                request.attachment(), describe(u.cause()), describe(u.journal()));
                        return new Frames.Reply(0, NOTHING, NOTHING);
                    }
                }
            }
            case "CHECK" -> ipam.check(config, request.owner(config));
            case "GC" -> ipam.gc(config);
            case "STATUS" -> ipam.status(config);
            default -> throw new IllegalStateException(request.command());
        }
        return new Frames.Reply(0, NOTHING, NOTHING);
    }

    private static String describe(Throwable e) {
        return e instanceof IpamException i ? i.msg() + " " + i.details() : e.toString();
    }

    static Frames.Reply error(String version, int code, String msg, String details) {
        return new Frames.Reply(1, Json.error(version, code, msg, details).getBytes(StandardCharsets.UTF_8),
                NOTHING);
    }

    @Override
    public void close() {
        pending.close();
        ipam.close();
    }
}
