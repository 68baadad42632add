package dev.whereabouts.ipam.engine.config;

import dev.whereabouts.ipam.api.IpamException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code CNI_ARGS} as the CNI library reads it: {@code K=V} pairs separated by {@code ;}, keys
 * matched case-sensitively, unknown keys an error unless {@code IgnoreUnknown} is true.
 *
 * @param podNamespace {@code K8S_POD_NAMESPACE} or {@code ""}
 * @param podName {@code K8S_POD_NAME} or {@code ""}
 * @param infraContainerId {@code K8S_POD_INFRA_CONTAINER_ID} or {@code ""}
 * @param podUid {@code K8S_POD_UID} or {@code ""}
 * @param ips {@code IP}, split at commas
 * @param gateways {@code GATEWAY}, split at commas
 */
public record CniArgs(String podNamespace, String podName, String infraContainerId, String podUid, List<String> ips,
        List<String> gateways) {

    private static final Set<String> KNOWN = Set.of("IgnoreUnknown", "K8S_POD_NAMESPACE", "K8S_POD_NAME",
            "K8S_POD_INFRA_CONTAINER_ID", "K8S_POD_UID", "IP", "GATEWAY");

    /** No arguments. */
    public static final CniArgs NONE = new CniArgs("", "", "", "", List.of(), List.of());

    /** Copies the lists. */
    public CniArgs {
        ips = List.copyOf(ips);
        gateways = List.copyOf(gateways);
    }

    /**
     * Parses {@code CNI_ARGS}; {@code null} or empty is no arguments.
     *
     * @throws IpamException code 4 (it is an environment variable), message starting
     *     {@code LoadArgs - CNI Args Parsing Error:}
     */
    public static CniArgs parse(String text) {
        if (text == null || text.isEmpty()) {
            return NONE;
        }
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String pair : text.split(";", -1)) {
            String[] kv = pair.split("=", -1);
            if (kv.length != 2) {
                throw error("ARGS: invalid pair \"" + pair + "\"", "CNI_ARGS pair '" + pair + "' is not KEY=VALUE");
            }
            pairs.put(kv[0], kv[1]);
        }
        boolean ignoreUnknown = false;
        String ignore = pairs.get("IgnoreUnknown");
        if (ignore != null) {
            switch (ignore.toLowerCase(Locale.ROOT)) {
                case "1", "true" -> ignoreUnknown = true;
                case "0", "false" -> ignoreUnknown = false;
                default -> throw error("ARGS: error parsing value of pair \"IgnoreUnknown=" + ignore + "\"",
                        "CNI_ARGS key 'IgnoreUnknown' value '" + ignore + "': must be 1, 0, true or false");
            }
        }
        List<String> unknown = new ArrayList<>();
        for (String key : pairs.keySet()) {
            if (!KNOWN.contains(key)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty() && !ignoreUnknown) {
            throw error("ARGS: unknown args [" + String.join(" ", unknown.stream().map(k -> "\"" + k + "\"").toList()) + "]",
                    "CNI_ARGS key '" + unknown.getFirst() + "' is unknown; IgnoreUnknown=1 makes it ignored");
        }
        for (String key : List.of("K8S_POD_NAMESPACE", "K8S_POD_NAME")) {
            // The pod reference is namespace/name: a slash in either part would make it ambiguous.
            if (pairs.getOrDefault(key, "").contains("/")) {
                throw error("ARGS: invalid value of " + key, "CNI_ARGS key '" + key + "' value '" + pairs.get(key)
                        + "': a Kubernetes name has no '/'");
            }
        }
        return new CniArgs(pairs.getOrDefault("K8S_POD_NAMESPACE", ""), pairs.getOrDefault("K8S_POD_NAME", ""),
                pairs.getOrDefault("K8S_POD_INFRA_CONTAINER_ID", ""), pairs.getOrDefault("K8S_POD_UID", ""),
                split(pairs.get("IP")), split(pairs.get("GATEWAY")));
    }

    /** {@code namespace/name}, or {@code ""} when there is no pod name (not Kubernetes). */
    public String podRef() {
        return podName.isEmpty() ? "" : podNamespace + "/" + podName;
    }

    private static List<String> split(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return java.util.Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static IpamException error(String msg, String details) {
        return new IpamException(IpamException.INVALID_ENVIRONMENT, "LoadArgs - CNI Args Parsing Error: " + msg, details);
    }
}
