package dev.whereabouts.cni.launcher;

import dev.whereabouts.cni.launcher.client.Frames;
import dev.whereabouts.cni.launcher.client.Json;
import dev.whereabouts.cni.launcher.log.LogSink;
import dev.whereabouts.cni.launcher.log.Logs;
import dev.whereabouts.ipam.api.AttachmentId;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.engine.Ipam;
import dev.whereabouts.ipam.engine.IpamConfig;
import dev.whereabouts.ipam.engine.Release;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The CNI protocol around the engine: environment and version checks, the six commands, results in
 * the config's {@code cniVersion}, and error objects with their codes. Used by the daemon (one
 * handler, many concurrent calls) and in-process (one call).
 */
public final class CniHandler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CniHandler.class);
    private static final byte[] NOTHING = new byte[0];

    private static final int HEADERS = 64;

    private final Ipam ipam;
    private final Map<ByteBuffer, Header> headers = new ConcurrentHashMap<>();
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

    /** Runs one call; log lines of the call end up in the reply's stderr (and in {@code log_file}). */
    public Frames.Reply handle(Map<String, String> env, byte[] stdin) {
        var stderr = new ByteArrayOutputStream();
        var sink = new LogSink(stderr, Logs.process().level());
        var out = Logs.with(sink, () -> dispatch(env, stdin, sink));
        return new Frames.Reply(out.exitCode(), out.stdout(), stderr.toByteArray());
    }

    private Frames.Reply dispatch(Map<String, String> env, byte[] stdin, LogSink sink) {
        String command = env.getOrDefault("CNI_COMMAND", "");
        String version = CniVersions.NEWEST;
        try {
            switch (command) {
                case "" -> {
                    return new Frames.Reply(0, NOTHING, NOTHING);
                }
                case "VERSION" -> {
                    String v = "{\"cniVersion\":\"1.1.0\",\"supportedVersions\":"
                            + dev.whereabouts.cni.launcher.client.Main.SUPPORTED + "}\n";
                    return new Frames.Reply(0, v.getBytes(StandardCharsets.UTF_8), NOTHING);
                }
                case "ADD", "DEL", "CHECK", "GC", "STATUS" -> {
                }
                default -> throw new IpamException(IpamException.INVALID_ENVIRONMENT,
                        "unknown CNI_COMMAND: " + command, "");
            }
            CniEnv.check(command, env);
            Header header = header(stdin);
            String configVersion = header.cniVersion();
            if (!CniVersions.supported(configVersion)) {
                throw new IpamException(IpamException.INCOMPATIBLE_VERSION, "incompatible CNI versions",
                        "config is \"" + configVersion + "\", plugin supports " + CniVersions.SUPPORTED);
            }
            version = configVersion;
            CniEnv.checkNetworkName(header.name());
            requireVersion(command, version);
            String rawArgs = env.getOrDefault("CNI_ARGS", "");
            CniArgs args = CniArgs.parse(rawArgs);
            IpamConfig config = ipam.load(stdin, rawArgs, env);
            sink.configure(config.logFile(), config.logLevel());
            pending.seen(config.attachmentsDir());
            LOG.debug("{} for {} on {} ({})", command, env.get("CNI_CONTAINERID"), config.name(),
                    config.datastore());
            Frames.Reply reply = run(command, env, args, config, version);
            pending.storeAnswered();
            return reply;
        } catch (IpamException e) {
            LOG.error("{} failed: {} {}", command, e.msg(), e.details());
            return error(version, e.code(), e.msg(), e.details());
        } catch (RuntimeException | LinkageError e) {
            LOG.error("{} failed unexpectedly", command, e);
            return error(version, IpamException.INTERNAL, String.valueOf(e.getMessage()), e.toString());
        }
    }

    private Frames.Reply run(String command, Map<String, String> env, CniArgs args, IpamConfig config,
            String version) {
        var owner = new Owner(env.getOrDefault("CNI_CONTAINERID", ""), env.getOrDefault("CNI_IFNAME", ""),
                args.podRef());
        switch (command) {
            case "ADD" -> {
                String json = ipam.add(config, owner).toJson(version);
                return new Frames.Reply(0, (json.endsWith("\n") ? json : json + "\n")
                        .getBytes(StandardCharsets.UTF_8), NOTHING);
            }
            case "DEL" -> {
                // A runtime never repeats a DEL that succeeded, and must not be blocked by a store
                // outage: what the store cannot take now is journalled and retried until it lands.
                switch (ipam.release(config, new AttachmentId(owner.containerId(), owner.ifName()))) {
                    case Release.Done d -> {
                    }
                    case Release.Queued q -> {
                        LOG.error("DEL of {}: the store did not answer ({}); release queued, retried until it lands",
                                owner.attachment(), describe(q.cause()));
                        pending.queued();
                        return new Frames.Reply(0, NOTHING, NOTHING);
                    }
                    case Release.Unrecorded u -> {
                        LOG.error("DEL of {}: the store did not answer ({}) and the journal could not queue the release"
                                + " ({}); reporting success, the reconciler or 'whereabouts ctl release' must free it",
                                owner.attachment(), describe(u.cause()), describe(u.journal()));
                        return new Frames.Reply(0, NOTHING, NOTHING);
                    }
                }
            }
            case "CHECK" -> ipam.check(config, owner);
            case "GC" -> ipam.gc(config);
            case "STATUS" -> ipam.status(config);
            default -> throw new IllegalStateException(command);
        }
        return new Frames.Reply(0, NOTHING, NOTHING);
    }

    private static String describe(Throwable e) {
        return e instanceof IpamException i ? i.msg() + " " + i.details() : e.toString();
    }

    private static void requireVersion(String command, String version) {
        String min = switch (command) {
            case "CHECK" -> "0.4.0";
            case "GC", "STATUS" -> "1.1.0";
            default -> "0.1.0";
        };
        if (!CniVersions.atLeast(version, min)) {
            throw new IpamException(IpamException.INCOMPATIBLE_VERSION,
                    "config version does not allow " + command, "config is \"" + version + "\"");
        }
    }

    /** What the protocol checks read from stdin: {@code cniVersion} (absent = 0.1.0) and {@code name}. */
    private record Header(String cniVersion, String name) {}

    /**
     * The header of {@code stdin}, parsed once per distinct config: a node sends the same few over
     * and over. Only configs that parsed are remembered; the map forgets all when full.
     */
    private Header header(byte[] stdin) {
        ByteBuffer key = ByteBuffer.wrap(stdin.clone()); // content equality; never read or moved
        Header h = headers.get(key);
        if (h == null) {
            JsonNode root = parse(stdin);
            h = new Header(root.path("cniVersion").isString() ? root.path("cniVersion").stringValue() : "0.1.0",
                    root.path("name").isString() ? root.path("name").stringValue() : "");
            if (headers.size() >= HEADERS) {
                headers.clear();
            }
            headers.put(key, h);
        }
        return h;
    }

    private static JsonNode parse(byte[] stdin) {
        try {
            JsonNode root = JsonMapper.shared().readTree(stdin);
            if (root == null || !root.isObject()) {
                throw new IpamException(IpamException.DECODING_FAILURE,
                        "error decoding network configuration", "not a JSON object");
            }
            return root;
        } catch (JacksonException e) {
            throw new IpamException(IpamException.DECODING_FAILURE,
                    "error decoding network configuration", e.getOriginalMessage());
        }
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
