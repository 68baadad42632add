package dev.whereabouts.ipam.engine.config;

import dev.whereabouts.ipam.api.InvalidConfigException;
import dev.whereabouts.ipam.api.IpamException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the ranges out of a node annotation, in each format the plugins we replace wrote:
 * <ul>
 *   <li>kube-node's comma list, {@code 172.20.2.0/24,fd00::2:0:0/96};</li>
 *   <li>a JSON list of CIDRs, {@code ["10.1.0.0/24","fd00:1::/64"]};</li>
 *   <li>node-annotation's host-local fragment, {@code ranges: [[{"subnet": …, "rangeStart": …}]]}
 *       (the key quoted or not, the whole in braces or not, each range set a list or a bare object).</li>
 * </ul>
 * Every error is CNI code 7 naming the node and the annotation, because that is where an operator
 * must look.
 */
final class NodeAnnotation {

    private static final Logger LOG = LoggerFactory.getLogger(NodeAnnotation.class);
    /** node-annotation pasted its annotation into a shell-built JSON, so {@code ranges:} came unquoted. */
    private static final Pattern BARE_KEY = Pattern.compile("(^|[{\\[,]\\s*)([A-Za-z_][A-Za-z0-9_]*)\\s*:");
    private static final Pattern HOST_LOCAL = Pattern.compile("^\\{?\\s*\"?ranges\"?\\s*:.*", Pattern.DOTALL);

    private NodeAnnotation() {}

    static List<NodeRange> parse(String node, String annotation, String value) {
        String v = value.strip();
        if (HOST_LOCAL.matcher(v).matches()) {
            return hostLocal(node, annotation, v);
        }
        List<String> cidrs;
        if (v.startsWith("[")) {
            Object list = json(node, annotation, "{\"l\":" + v + "}").get("l");
            cidrs = strings(node, annotation, list);
        } else {
            cidrs = Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        }
        if (cidrs.isEmpty()) {
            throw invalid(node, annotation, value, "holds no range");
        }
        return cidrs.stream().map(NodeRange::of).toList();
    }

    private static List<NodeRange> hostLocal(String node, String annotation, String v) {
        String text = v.startsWith("{") ? v : "{" + v + "}";
        Map<String, Object> fragment = json(node, annotation, BARE_KEY.matcher(text).replaceAll("$1\"$2\":"));
        fragment.keySet().stream().filter(k -> !k.equals("ranges")).forEach(k -> LOG.warn(
                "node {} annotation {}: host-local key '{}' is not used; only 'ranges' is", node, annotation, k));
        if (!(fragment.get("ranges") instanceof List<?> sets) || sets.isEmpty()) {
            throw invalid(node, annotation, v, "'ranges' must be a non-empty list of range sets");
        }
        List<NodeRange> out = new ArrayList<>();
        for (Object set : sets) {
            // host-local hands out one address per range set; our engine one per range, so a set
            // must hold exactly one range (a bare object is a set of one, as node-annotation's own
            // README writes it).
            Object range = set;
            if (set instanceof List<?> members) {
                if (members.size() != 1) {
                    throw invalid(node, annotation, v, "each range set must hold exactly one range, found "
                            + members.size());
                }
                range = members.getFirst();
            }
            if (!(range instanceof Map<?, ?> r)) {
                throw invalid(node, annotation, v, "a range must be an object with a 'subnet'");
            }
            Optional<String> subnet = text(node, annotation, v, r, "subnet");
            out.add(new NodeRange(subnet.orElseThrow(() -> invalid(node, annotation, v, "a range has no 'subnet'")),
                    text(node, annotation, v, r, "rangeStart"), text(node, annotation, v, r, "rangeEnd"),
                    text(node, annotation, v, r, "gateway")));
        }
        return out;
    }

    private static Optional<String> text(String node, String annotation, String v, Map<?, ?> range, String key) {
        Object value = range.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String s)) {
            throw invalid(node, annotation, v, "'" + key + "' must be a string");
        }
        return Optional.of(s.strip()).filter(s2 -> !s2.isEmpty());
    }

    private static List<String> strings(String node, String annotation, Object list) {
        if (!(list instanceof List<?> items) || !items.stream().allMatch(String.class::isInstance)) {
            throw invalid(node, annotation, String.valueOf(list), "not a JSON list of CIDRs");
        }
        return items.stream().map(o -> ((String) o).strip()).filter(s -> !s.isEmpty()).toList();
    }

    private static Map<String, Object> json(String node, String annotation, String text) {
        try {
            return Json.parseObject(text.getBytes(StandardCharsets.UTF_8), "annotation");
        } catch (IpamException e) {
            throw invalid(node, annotation, text, "not valid JSON: " + e.getMessage());
        }
    }

    static InvalidConfigException invalid(String node, String annotation, String value, String why) {
        return new InvalidConfigException("node " + node + " annotation " + annotation, value, why);
    }
}
