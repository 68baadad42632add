package dev.whereabouts.ipam.engine;

import dev.whereabouts.ipam.api.AttachmentId;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.engine.config.ConfigLoader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One CNI call's environment, checked as the CNI Go skeleton checks it before a plugin runs: the
 * command is known, the variables it needs are set, and the container id and interface name follow
 * the spec's rules. The daemon and the in-process path both start here; stdin is the engine's to
 * read ({@link Ipam#load}).
 *
 * @param command {@code ADD}, {@code DEL}, {@code CHECK}, {@code GC} or {@code STATUS}
 * @param containerId {@code CNI_CONTAINERID}, empty for GC and STATUS
 * @param ifName {@code CNI_IFNAME}, empty for GC and STATUS
 * @param cniArgs {@code CNI_ARGS} as given (the engine parses it with the configuration)
 * @param env the environment of the call, as {@link #callEnvironment} keeps it
 * @since 0.2
 */
public record CniRequest(String command, String containerId, String ifName, String cniArgs, Map<String, String> env) {

    /** Copies the environment. */
    public CniRequest {
        env = Map.copyOf(env);
    }

    /**
     * Prefixes of the variables a call may read: the runtime's {@code CNI_*} and the plugin's own
     * {@code WHEREABOUTS_*} settings.
     *
     * @since 0.3
     */
    public static final List<String> CALL_PREFIXES = List.of("CNI_", "WHEREABOUTS_");

    /**
     * Whole names of the other variables a call may read: a kubeconfig path, the node's name, and
     * node-annotation's configuration file.
     *
     * @since 0.3
     */
    public static final Set<String> CALL_NAMES = Set.of("KUBECONFIG", "NODENAME", "NODE_NAME", "NODE_ANNOTATION_CFG");

    /**
     * The part of a process environment that a call may read ({@link #CALL_PREFIXES},
     * {@link #CALL_NAMES}). The shell forwarder sends only these to the daemon, and every path keeps
     * only these, so what else a runtime exports never makes the daemon and the in-process path
     * answer differently.
     *
     * @since 0.3
     */
    public static Map<String, String> callEnvironment(Map<String, String> env) {
        Map<String, String> kept = new LinkedHashMap<>();
        env.forEach((name, value) -> {
            if (CALL_NAMES.contains(name) || CALL_PREFIXES.stream().anyMatch(name::startsWith)) {
                kept.put(name, value);
            }
        });
        return kept;
    }

    /**
     * Checks the environment of a call that reads a network configuration (every command but VERSION).
     *
     * @throws IpamException code 4 for an unknown command, a missing variable (all of them named),
     *     or a container id or interface name the spec does not allow
     */
    public static CniRequest of(Map<String, String> env) {
        String command = env.getOrDefault("CNI_COMMAND", "");
        List<String> required = switch (command) {
            case "ADD", "CHECK" -> List.of("CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME", "CNI_PATH");
            case "DEL" -> List.of("CNI_CONTAINERID", "CNI_IFNAME", "CNI_PATH");
            case "GC", "STATUS" -> List.of("CNI_PATH");
            default -> throw new IpamException(IpamException.INVALID_ENVIRONMENT, "unknown CNI_COMMAND: " + command, "");
        };
        List<String> missing = new ArrayList<>();
        for (String name : required) {
            String v = env.get(name);
            if (v == null || v.isEmpty()) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new IpamException(IpamException.INVALID_ENVIRONMENT,
                    "required env variables [" + String.join(",", missing) + "] missing", "");
        }
        String id = env.getOrDefault("CNI_CONTAINERID", "");
        String ifName = env.getOrDefault("CNI_IFNAME", "");
        if (required.contains("CNI_CONTAINERID") && !ConfigLoader.ID.matcher(id).matches()) {
            throw new IpamException(IpamException.INVALID_ENVIRONMENT, "invalid characters in containerID", id);
        }
        if (required.contains("CNI_IFNAME") && !validInterface(ifName)) {
            throw new IpamException(IpamException.INVALID_ENVIRONMENT, "invalid interface name", ifName);
        }
        return new CniRequest(command, id, ifName, env.getOrDefault("CNI_ARGS", ""), env);
    }

    /** The spec's rule: 1 to 15 characters, not {@code .} or {@code ..}, no {@code /}, {@code :} or whitespace. */
    static boolean validInterface(String s) {
        // 15 bytes, as the kernel's IFNAMSIZ counts them, not characters.
        if (s.isEmpty() || s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 15 || s.equals(".") || s.equals("..")) {
            return false;
        }
        return s.chars().noneMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c));
    }

    /** The runtime's key of this attachment. */
    public AttachmentId attachment() {
        return new AttachmentId(containerId, ifName);
    }

    /** Who an ADD or CHECK of this call is for: the attachment and the pod {@code config} names. */
    public Owner owner(IpamConfig config) {
        return new Owner(containerId, ifName, config.podRef());
    }
}
