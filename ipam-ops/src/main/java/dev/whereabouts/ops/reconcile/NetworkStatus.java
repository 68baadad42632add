package dev.whereabouts.ops.reconcile;

import dev.whereabouts.ipam.api.IpAddress;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads Multus' {@code k8s.v1.cni.cncf.io/network-status} annotation: a JSON list of
 * {@code {name, interface, ips[], default?}}.
 */
final class NetworkStatus {

    static final String ANNOTATION = "k8s.v1.cni.cncf.io/network-status";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The addresses of one pod, split into default and secondary networks. */
    record Ips(Set<IpAddress> secondary, Set<IpAddress> primary) {}

    private NetworkStatus() {}

    /**
     * Empty when the annotation is missing, is not a JSON list, or lists no entry at all: Multus writes
     * it after the sandbox is set up, so its absence means "not known yet".
     */
    static Optional<Ips> parse(String annotation) {
        if (annotation == null || annotation.isBlank()) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = JSON.readTree(annotation);
        } catch (JacksonException e) {
            return Optional.empty();
        }
        if (root == null || !root.isArray() || root.isEmpty()) {
            return Optional.empty();
        }
        Set<IpAddress> secondary = new HashSet<>();
        Set<IpAddress> primary = new HashSet<>();
        for (JsonNode entry : root) {
            boolean isDefault = entry.path("default").asBoolean(false);
            for (JsonNode ip : entry.path("ips")) {
                parseIp(ip.asString("")).ifPresent(isDefault ? primary::add : secondary::add);
            }
        }
        return Optional.of(new Ips(secondary, primary));
    }

    private static Optional<IpAddress> parseIp(String text) {
        String t = text.strip();
        int slash = t.indexOf('/');
        if (slash >= 0) {
            t = t.substring(0, slash);
        }
        try {
            return Optional.of(IpAddress.parse(t));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
