package dev.whereabouts.ops.reconcile;

import dev.whereabouts.ipam.api.IpAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads Multus' {@code k8s.v1.cni.cncf.io/network-status} annotation: a JSON list of
 * {@code {name, interface, ips[], default?}}. Public for the pod controller, which needs each entry.
 *
 * @since 0.1
 */
public final class NetworkStatus {

    /** The annotation Multus writes on every pod it attached. */
    public static final String ANNOTATION = "k8s.v1.cni.cncf.io/network-status";

    /**
     * One attachment of a pod.
     *
     * @param name the network, as Multus names it: {@code namespace/nad-name} for a secondary network
     * @param iface the interface in the pod ({@code ""} when Multus did not say)
     * @param ips the addresses, prefix lengths dropped; unreadable ones left out
     * @param isDefault whether this is the cluster's default network
     */
    public record Entry(String name, String iface, Set<IpAddress> ips, boolean isDefault) {
        /** Copies the set. */
        public Entry {
            ips = Set.copyOf(ips);
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The addresses of one pod, split into default and secondary networks. */
    record Ips(Set<IpAddress> secondary, Set<IpAddress> primary) {}

    private NetworkStatus() {}

    /**
     * Empty when the annotation is missing, is not a JSON list, or lists no entry at all: Multus writes
     * it after the sandbox is set up, so its absence means "not known yet".
     */
    static Optional<Ips> parse(String annotation) {
        List<Entry> entries = entries(annotation);
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        Set<IpAddress> secondary = new HashSet<>();
        Set<IpAddress> primary = new HashSet<>();
        for (Entry e : entries) {
            (e.isDefault() ? primary : secondary).addAll(e.ips());
        }
        return Optional.of(new Ips(secondary, primary));
    }

    /** Every entry of the annotation; empty when it is missing or unreadable. */
    public static List<Entry> entries(String annotation) {
        if (annotation == null || annotation.isBlank()) {
            return List.of();
        }
        JsonNode root;
        try {
            root = JSON.readTree(annotation);
        } catch (JacksonException e) {
            return List.of();
        }
        if (root == null || !root.isArray()) {
            return List.of();
        }
        List<Entry> out = new ArrayList<>();
        for (JsonNode entry : root) {
            Set<IpAddress> ips = new HashSet<>();
            for (JsonNode ip : entry.path("ips")) {
                parseIp(ip.asString("")).ifPresent(ips::add);
            }
            out.add(new Entry(entry.path("name").asString(""), entry.path("interface").asString(""), ips,
                    entry.path("default").asBoolean(false)));
        }
        return out;
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
