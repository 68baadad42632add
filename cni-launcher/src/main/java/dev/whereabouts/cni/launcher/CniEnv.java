package dev.whereabouts.cni.launcher;

import dev.whereabouts.ipam.api.IpamException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The environment checks the CNI Go skeleton makes before a plugin sees a call. */
final class CniEnv {

    private static final Pattern ID = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$");

    private CniEnv() {
    }

    /** The variables each command needs. */
    static List<String> required(String command) {
        return switch (command) {
            case "ADD", "CHECK" -> List.of("CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME", "CNI_PATH");
            case "DEL" -> List.of("CNI_CONTAINERID", "CNI_IFNAME", "CNI_PATH");
            case "GC", "STATUS" -> List.of("CNI_PATH");
            default -> List.of();
        };
    }

    /** Code 4 naming every missing variable, and for bad container ids or interface names. */
    static void check(String command, Map<String, String> env) {
        List<String> missing = new ArrayList<>();
        for (String name : required(command)) {
            String v = env.get(name);
            if (v == null || v.isEmpty()) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new IpamException(IpamException.INVALID_ENVIRONMENT,
                    "required env variables [" + String.join(",", missing) + "] missing", "");
        }
        String id = env.get("CNI_CONTAINERID");
        if (required(command).contains("CNI_CONTAINERID") && !ID.matcher(id).matches()) {
            throw new IpamException(IpamException.INVALID_ENVIRONMENT,
                    "invalid characters in containerID", id);
        }
        String ifName = env.get("CNI_IFNAME");
        if (required(command).contains("CNI_IFNAME") && !validInterface(ifName)) {
            throw new IpamException(IpamException.INVALID_ENVIRONMENT, "invalid interface name", ifName);
        }
    }

    static boolean validInterface(String s) {
        if (s.isEmpty() || s.length() > 15 || s.equals(".") || s.equals("..")) {
            return false;
        }
        return s.chars().noneMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c));
    }

    /** Network names follow the container id rule; a bad one is an invalid config (code 7). */
    static void checkNetworkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IpamException(IpamException.INVALID_CONFIG, "missing network name", "");
        }
        if (!ID.matcher(name).matches()) {
            throw new IpamException(IpamException.INVALID_CONFIG,
                    "invalid characters found in network name", name);
        }
    }
}
