package dev.whereabouts.controllers.nad;

import dev.whereabouts.ipam.api.Cidr;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the whereabouts IPAM section out of a NAD's {@code spec.config}: a single plugin config or a
 * conf list, the first plugin whose {@code ipam.type} is {@code whereabouts}. Anything else (another
 * IPAM, no IPAM, no inline config, unreadable JSON) reads as empty: not ours.
 */
public final class NadConfigs {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private NadConfigs() {}

    /** The whereabouts IPAM of {@code nad}, if it has one. */
    public static Optional<NadIpam> read(GenericKubernetesResource nad) {
        String ref = nad.getMetadata().getNamespace() + "/" + nad.getMetadata().getName();
        if (!(nad.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec)
                || !(spec.get("config") instanceof String config)) {
            return Optional.empty();
        }
        return read(ref, config);
    }

    /** The whereabouts IPAM of a CNI config text, if it has one. */
    static Optional<NadIpam> read(String nadRef, String config) {
        JsonNode root;
        try {
            root = JSON.readTree(config);
        } catch (JacksonException e) {
            return Optional.empty();
        }
        if (root == null || !root.isObject()) {
            return Optional.empty();
        }
        String cniName = root.path("name").asString("");
        List<JsonNode> plugins = new ArrayList<>();
        if (root.path("plugins").isArray()) {
            root.path("plugins").forEach(plugins::add);
        } else {
            plugins.add(root);
        }
        for (JsonNode plugin : plugins) {
            JsonNode ipam = plugin.path("ipam");
            if ("whereabouts".equals(ipam.path("type").asString(""))) {
                return Optional.of(ipam(nadRef, cniName, ipam));
            }
        }
        return Optional.empty();
    }

    private static NadIpam ipam(String nadRef, String cniName, JsonNode ipam) {
        List<Cidr> ranges = new ArrayList<>();
        range(ipam.path("range").asString("")).ifPresent(ranges::add);
        for (JsonNode r : ipam.path("ipRanges")) {
            range(r.path("range").asString("")).ifPresent(ranges::add);
        }
        String sliceText = ipam.path("node_slice_size").asString("").strip();
        return new NadIpam(nadRef, cniName, ipam.path("network_name").asString(""), ranges, sliceSize(sliceText),
                sliceText);
    }

    /** {@code 10.0.0.0/24}, or upstream's {@code start-end/prefix} form whose CIDR is the part after the dash. */
    static Optional<Cidr> range(String text) {
        String t = text.strip();
        int dash = t.indexOf('-');
        if (dash >= 0) {
            t = t.substring(dash + 1);
        }
        if (t.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Cidr.parse(t).canonical());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static OptionalInt sliceSize(String text) {
        String digits = text.startsWith("/") ? text.substring(1) : text;
        return digits.matches("\\d{1,3}") ? OptionalInt.of(Integer.parseInt(digits)) : OptionalInt.empty();
    }
}
