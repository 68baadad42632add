package dev.whereabouts.cni.launcher;

import dev.whereabouts.ipam.api.IpamException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code CNI_ARGS} as the CNI Go library reads it: {@code K=V} pairs split on {@code ;}, exactly one
 * {@code =} per pair, known keys only unless {@code IgnoreUnknown} is true.
 *
 * @param values the pairs in order
 */
record CniArgs(Map<String, String> values) {

    /** The keys upstream whereabouts declares (plus the newer pod UID that runtimes send). */
    static final Set<String> KNOWN = Set.of("IgnoreUnknown", "K8S_POD_NAMESPACE", "K8S_POD_NAME",
            "K8S_POD_INFRA_CONTAINER_ID", "K8S_POD_UID", "IP", "GATEWAY");

    /** Parses {@code raw}; IpamException code 4 for a malformed or unknown pair. */
    static CniArgs parse(String raw) {
        Map<String, String> values = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return new CniArgs(values);
        }
        for (String pair : raw.split(";")) {
            int eq = pair.indexOf('=');
            if (eq < 0 || pair.indexOf('=', eq + 1) >= 0) {
                throw new IpamException(IpamException.INVALID_ENVIRONMENT,
                        "ARGS: invalid pair \"" + pair + "\"", "CNI_ARGS=" + raw);
            }
            values.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        String ignore = values.getOrDefault("IgnoreUnknown", "");
        boolean lenient = ignore.equals("1") || ignore.equalsIgnoreCase("true");
        if (!lenient) {
            var unknown = values.keySet().stream().filter(k -> !KNOWN.contains(k)).toList();
            if (!unknown.isEmpty()) {
                throw new IpamException(IpamException.INVALID_ENVIRONMENT,
                        "ARGS: unknown args " + unknown, "CNI_ARGS=" + raw);
            }
        }
        return new CniArgs(values);
    }

    /** {@code namespace/name} from the Kubernetes keys, or empty outside Kubernetes. */
    String podRef() {
        String ns = values.getOrDefault("K8S_POD_NAMESPACE", "");
        String name = values.getOrDefault("K8S_POD_NAME", "");
        return ns.isEmpty() || name.isEmpty() ? "" : ns + "/" + name;
    }
}
