package dev.whereabouts.ipam.engine.config;

import java.util.Map;

/**
 * Which plugin this binary stands in for, by the name it was invoked under: the launcher script
 * passes its {@code argv[0]} as {@code WHEREABOUTS_PLUGIN_NAME}. A link named {@code kube-node} or
 * {@code node-annotation} to the same binary serves that plugin's {@code ipam} section as written,
 * so a node swaps binaries without touching a network configuration. Any other name is whereabouts.
 */
public enum Dialect {
    /** {@code "type": "whereabouts"}: our own section. */
    WHEREABOUTS("whereabouts"),
    /** {@code "type": "kube-node"}: Nordix xcluster-cni's kube-node IPAM. */
    KUBE_NODE("kube-node"),
    /** {@code "type": "node-annotation"}: Nordix's shell node-annotation IPAM. */
    NODE_ANNOTATION("node-annotation");

    /** The variable that carries the invoked name from the launcher script. */
    public static final String ENV = "WHEREABOUTS_PLUGIN_NAME";

    private final String type;

    Dialect(String type) {
        this.type = type;
    }

    /** The {@code ipam.type} this dialect serves (also its install name). */
    public String type() {
        return type;
    }

    /** The dialect of a call: by the base name in {@link #ENV}, whereabouts when unset or unknown. */
    public static Dialect of(Map<String, String> env) {
        String name = env.getOrDefault(ENV, "");
        String base = name.substring(name.lastIndexOf('/') + 1);
        for (Dialect d : values()) {
            if (d.type.equals(base)) {
                return d;
            }
        }
        return WHEREABOUTS;
    }
}
