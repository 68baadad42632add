package dev.whereabouts.ipam.engine.config;

import dev.whereabouts.ipam.api.AttachmentId;
import dev.whereabouts.ipam.api.InvalidConfigException;
import dev.whereabouts.ipam.api.IpamException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Loads the whole network configuration from stdin: top-level fields, the {@code ipam} section
 * merged with the flat file, and {@code CNI_ARGS}. Under the install name {@code kube-node} or
 * {@code node-annotation} ({@link Dialect}) the section is that plugin's, rewritten first by
 * {@link ForeignSections}; {@code $KUBECONFIG} fills a missing {@code kubernetes.kubeconfig} in every
 * dialect. Every error carries its CNI code: 6 for bad JSON, 7 for an invalid field (naming field and
 * value), 1 for an unsupported {@code cniVersion}.
 */
public final class ConfigLoader {

    /** The rule the CNI library applies to network names and container ids. */
    public static final Pattern ID = AttachmentId.ID_PATTERN;

    /** Stdin that passed the top-level checks, parsed (the maps are only ever read). */
    private record TopLevel(Fields fields, String version, String name, Fields inline) {}

    /** Everything the {@code ipam} section is made of. */
    private record SectionKey(InputBytes stdin, Dialect dialect, String envKubeconfig, Optional<Path> flatFile,
            Map<String, Object> flatVersion, List<String> ips, List<String> gateways) {}

    /** node-annotation's own configuration file, and the variable that moves it. */
    static final String NODE_ANNOTATION_FILE = "/etc/cni/node-annotation.conf";
    static final String NODE_ANNOTATION_CFG = "NODE_ANNOTATION_CFG";

    private record Section(IpamSection ipam, List<AttachmentId> validAttachments) {}

    private final List<Path> flatFileLocations;
    private final FlatFileReader flatFiles = new FlatFileReader();
    private final BoundedCache<InputBytes, TopLevel> topLevels = new BoundedCache<>(64);
    private final BoundedCache<SectionKey, Section> sections = new BoundedCache<>(64);

    /** A loader that searches upstream's default flat-file locations. */
    public ConfigLoader() {
        this(FlatFile.DEFAULT_LOCATIONS);
    }

    /** A loader that searches {@code flatFileLocations} after the inline {@code configuration_path}. */
    public ConfigLoader(List<Path> flatFileLocations) {
        this.flatFileLocations = List.copyOf(flatFileLocations);
    }

    /**
     * Loads a configuration. The result depends only on the arguments and on the flat file's
     * content: what was parsed before is reused only for exactly the same stdin, flat-file version
     * and {@code CNI_ARGS} values the section reads, so a daemon answers as a fresh process would.
     */
    public NetworkConfig load(byte[] stdin, String cniArgs, Map<String, String> env) {
        InputBytes input = InputBytes.copyOf(stdin);
        TopLevel remembered = topLevels.get(input);
        TopLevel top = remembered != null ? remembered : topLevel(stdin);
        if (remembered == null) {
            topLevels.put(input, top);
        }
        Map<String, String> callEnv = env == null ? Map.of() : env;
        Dialect dialect = Dialect.of(callEnv);
        String type = top.inline().string("type").orElse("");
        if (!type.equals(dialect.type())) {
            throw new InvalidConfigException("only interested in networks whose IPAM type is '"
                    + dialect.type() + "'. This one was: " + type, "ipam.type", type, "");
        }
        Optional<Path> flatFile = switch (dialect) {
            case WHEREABOUTS -> FlatFile.find(top.inline().string("configuration_path"), flatFileLocations);
            // kube-node had no flat file, and ours (whereabouts.conf) describes another network
            case KUBE_NODE -> Optional.empty();
            case NODE_ANNOTATION -> Optional.of(Path.of(Optional.ofNullable(callEnv.get(NODE_ANNOTATION_CFG))
                    .filter(v -> !v.isBlank()).orElse(NODE_ANNOTATION_FILE))).filter(Files::isRegularFile);
        };
        Optional<FlatFileReader.Read> flat = flatFile.map(flatFiles::read);
        CniArgs args = CniArgs.parse(cniArgs);
        String envKubeconfig = callEnv.getOrDefault("KUBECONFIG", "");
        var key = new SectionKey(input, dialect, envKubeconfig, flatFile,
                flat.map(FlatFileReader.Read::version).orElse(null), args.ips(), args.gateways());
        Section section = sections.get(key);
        if (section == null) {
            Map<String, Object> merged = switch (dialect) {
                case WHEREABOUTS -> flat.map(f -> FlatFile.merge(top.inline().raw(), f.content(), true))
                        .orElse(top.inline().raw());
                case KUBE_NODE -> ForeignSections.kubeNode(top.name(), top.inline());
                case NODE_ANNOTATION -> ForeignSections.nodeAnnotation(top.name(), top.inline(),
                        flat.map(f -> new Fields(f.content(), flatFile.get().toString())));
            };
            merged = ForeignSections.withEnvKubeconfig(merged, callEnv);
            IpamSection ipam = SectionParser.parse(new Fields(merged, "ipam"), args, top.version(),
                    dialect == Dialect.WHEREABOUTS ? flatFile : Optional.empty());
            section = new Section(ipam, validAttachments(top.fields()));
            if (flatFile.isEmpty() || key.flatVersion() != null) {
                sections.put(key, section);
            }
        }
        return new NetworkConfig(top.version(), top.name(), section.ipam(), section.validAttachments(), args,
                callEnv);
    }

    /** The checks that depend on stdin alone, in the order their errors take precedence. */
    private static TopLevel topLevel(byte[] stdin) {
        Fields top = new Fields(Json.parseConfig(stdin), "");
        String version = top.string("cniVersion").orElse("0.1.0");
        CniVersions.require(version);
        String name = top.string("name").orElseThrow(
                () -> new InvalidConfigException("name", "", "the network name is required"));
        if (!ID.matcher(name).matches()) {
            throw new InvalidConfigException("name", name, "must match " + ID.pattern());
        }
        Fields inline = top.object("ipam").orElseThrow(
                () -> new IpamException(IpamException.INVALID_CONFIG, "IPAM config missing 'ipam' key", ""));
        inline.string("type"); // must be a string; which one depends on the install name (Dialect)
        prevResult(top);
        return new TopLevel(top, version, name, inline);
    }

    /**
     * A {@code prevResult} is the runtime's record of an earlier answer; one that is not shaped like
     * a result is corrupt input, refused like any other rather than ignored.
     */
    private static void prevResult(Fields top) {
        top.object("prevResult").ifPresent(prev -> {
            List<Object> ips = prev.list("ips");
            for (int i = 0; i < ips.size(); i++) {
                Fields ip = Fields.of(ips.get(i), "prevResult.ips[" + i + "]");
                String address = ip.string("address").orElse("");
                SectionParser.parseCidr(ip.path("address"), address, "invalid address in prevResult " + address);
            }
        });
    }

    private static List<AttachmentId> validAttachments(Fields top) {
        String key = top.value("cni.dev/valid-attachments").isPresent() ? "cni.dev/valid-attachments" : "cni.dev/attachments";
        List<AttachmentId> out = new ArrayList<>();
        List<Object> list = top.list(key);
        for (int i = 0; i < list.size(); i++) {
            Fields a = Fields.of(list.get(i), key + "[" + i + "]");
            out.add(new AttachmentId(a.string("containerID").orElse(""), a.string("ifname").orElse("")));
        }
        return out;
    }
}
