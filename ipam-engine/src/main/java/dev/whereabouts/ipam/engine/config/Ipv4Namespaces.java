package dev.whereabouts.ipam.engine.config;

import dev.whereabouts.ipam.api.InvalidConfigException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code ipv4_namespaces} (kube-node's {@code ipv4-namespaces}): IPv4 addresses are scarce, so only
 * pods of these namespaces get one; every pod still gets its IPv6 address. A pod whose namespace is
 * unknown (no {@code K8S_POD_NAMESPACE} in {@code CNI_ARGS}) gets no IPv4, as in kube-node.
 *
 * @param namespaces the namespaces whose pods get IPv4 (may be empty: then no pod does)
 */
public record Ipv4Namespaces(Set<String> namespaces) {

    /** A Kubernetes namespace name: a DNS-1123 label. */
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    /** Copies the set. */
    public Ipv4Namespaces {
        namespaces = Set.copyOf(namespaces);
    }

    /** Whether a pod of {@code podNamespace} ({@code ""} when unknown) gets IPv4 addresses. */
    public boolean allowsIpv4(String podNamespace) {
        return !podNamespace.isEmpty() && namespaces.contains(podNamespace);
    }

    /**
     * The field when set: a list of namespace names.
     *
     * @throws InvalidConfigException code 7 for anything else
     */
    static Optional<Ipv4Namespaces> parse(Fields f) {
        Optional<Object> value = f.value("ipv4_namespaces");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String field = f.path("ipv4_namespaces");
        if (!(value.get() instanceof List<?> list)) {
            throw new InvalidConfigException(field, String.valueOf(value.get()),
                    "must be a list of namespace names, e.g. [\"old-application\"]");
        }
        for (Object o : list) {
            if (!(o instanceof String s) || !NAMESPACE.matcher(s).matches()) {
                throw new InvalidConfigException(field, String.valueOf(o),
                        "not a namespace name (lower-case letters, digits and '-', at most 63)");
            }
        }
        return Optional.of(new Ipv4Namespaces(Set.copyOf(list.stream().map(String.class::cast).toList())));
    }
}
