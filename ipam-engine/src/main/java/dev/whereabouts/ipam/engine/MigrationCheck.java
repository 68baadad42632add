package dev.whereabouts.ipam.engine;

import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.engine.config.ConfigLoader;
import dev.whereabouts.ipam.engine.config.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What would change for one network when upstream whereabouts is replaced by this plugin: the
 * {@code ipam} sections of a NetworkAttachmentDefinition's config that this plugin reads differently
 * or refuses. Used by {@code whereabouts ctl migration-check} before the binaries are swapped.
 */
public final class MigrationCheck {

    /** An IPv4 octet written with a leading zero, as in {@code 10.010.0.0}. */
    private static final Pattern LEADING_ZERO = Pattern.compile("(?<![0-9a-fA-F:])(?:\\d{1,3}\\.){0,3}0\\d+(?:\\.\\d{1,3}){0,3}");

    private MigrationCheck() {}

    /**
     * The findings for one network configuration (a single plugin or a conf list), empty when it
     * behaves the same after the swap.
     *
     * @param config the NetworkAttachmentDefinition's {@code spec.config} text
     */
    public static List<String> findings(String config) {
        Map<String, Object> top;
        try {
            top = Json.parseObject(config.getBytes(StandardCharsets.UTF_8), "spec.config");
        } catch (IpamException e) {
            return List.of("spec.config is not a JSON object; the plugin is never reached either way");
        }
        List<String> out = new ArrayList<>();
        for (Map<String, Object> plugin : plugins(top)) {
            if (plugin.get("ipam") instanceof Map<?, ?> ipam && "whereabouts".equals(ipam.get("type"))) {
                check(top, ipam, out);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> plugins(Map<String, Object> top) {
        if (!(top.get("plugins") instanceof List<?> list)) {
            return List.of(top);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        list.stream().filter(p -> p instanceof Map<?, ?>).forEach(p -> out.add((Map<String, Object>) p));
        return out;
    }

    private static void check(Map<String, Object> top, Map<?, ?> ipam, List<String> out) {
        Object datastore = ipam.get("datastore");
        if (datastore != null && !"kubernetes".equals(datastore)) {
            out.add("datastore '" + datastore + "': upstream since v0.6 ignores it and allocates in Kubernetes;"
                    + " this plugin honours it, so the network would move to that store and start from an empty pool");
        }
        for (String key : List.of("range", "range_start", "range_end", "gateway")) {
            if (ipam.get(key) instanceof String text && LEADING_ZERO.matcher(text).find()) {
                out.add(key + " '" + text + "' has an octet with a leading zero: read as decimal by both,"
                        + " but other tools read it as octal; write it without the zero");
            }
        }
        // The rest is whatever this plugin's own parser refuses that upstream accepted (for example
        // a range_start outside the range, which upstream ignores with a warning).
        Map<String, Object> probe = new LinkedHashMap<>();
        probe.put("cniVersion", top.getOrDefault("cniVersion", "1.0.0"));
        probe.put("name", top.getOrDefault("name", "migration-check"));
        probe.put("ipam", ipam);
        try {
            new ConfigLoader(List.of()).load(Json.write(probe).getBytes(StandardCharsets.UTF_8), "", Map.of());
        } catch (IpamException e) {
            out.add("refused by this plugin (code " + e.code() + "): " + e.getMessage()
                    + (e.details().isEmpty() ? "" : " (" + e.details() + ")"));
        }
    }
}
