package dev.whereabouts.ipam.engine.config;

import dev.whereabouts.ipam.api.AttachmentId;
import dev.whereabouts.ipam.api.InvalidConfigException;
import dev.whereabouts.ipam.api.IpamException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Loads the whole network configuration from stdin: top-level fields, the {@code ipam} section
 * merged with the flat file, and {@code CNI_ARGS}. Every error carries its CNI code: 6 for bad JSON,
 * 7 for an invalid field (naming field and value), 1 for an unsupported {@code cniVersion}.
 */
public final class ConfigLoader {

    /** The rule the CNI library applies to network names and container ids. */
    public static final Pattern ID = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$");

    private final List<Path> flatFileLocations;

    /** A loader that searches upstream's default flat-file locations. */
    public ConfigLoader() {
        this(FlatFile.DEFAULT_LOCATIONS);
    }

    /** A loader that searches {@code flatFileLocations} after the inline {@code configuration_path}. */
    public ConfigLoader(List<Path> flatFileLocations) {
        this.flatFileLocations = List.copyOf(flatFileLocations);
    }

    /** Loads a configuration. */
    public NetworkConfig load(byte[] stdin, String cniArgs, Map<String, String> env) {
        Fields top = new Fields(Json.parseObject(stdin, "LoadIPAMConfig"), "");
        String version = top.string("cniVersion").orElse("0.1.0");
        CniVersions.require(version);
        String name = top.string("name").orElseThrow(
                () -> new InvalidConfigException("name", "", "the network name is required"));
        if (!ID.matcher(name).matches()) {
            throw new InvalidConfigException("name", name, "must match " + ID.pattern());
        }
        Fields inline = top.object("ipam").orElseThrow(
                () -> new IpamException(IpamException.INVALID_CONFIG, "IPAM config missing 'ipam' key", ""));
        String type = inline.string("type").orElse("");
        if (!type.equals("whereabouts")) {
            throw new IpamException(IpamException.INVALID_CONFIG,
                    "only interested in networks whose IPAM type is 'whereabouts'. This one was: " + type,
                    "field 'ipam.type' value '" + type + "'");
        }
        Optional<Path> flatFile = FlatFile.find(inline.string("configuration_path"), flatFileLocations);
        Map<String, Object> merged = flatFile
                .map(p -> FlatFile.merge(inline.raw(), FlatFile.read(p), true))
                .orElse(inline.raw());
        CniArgs args = CniArgs.parse(cniArgs);
        IpamSection ipam = SectionParser.parse(new Fields(merged, "ipam"), args, version, flatFile);
        return new NetworkConfig(version, name, ipam, validAttachments(top), args, env == null ? Map.of() : env);
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
