package dev.whereabouts.ops.install;

import java.util.Base64;

/** The kubeconfig the plugin uses, built from the DaemonSet pod's service account. */
final class KubeconfigText {

    private KubeconfigText() {}

    /** {@code https://host:port}, with an IPv6 host in brackets. */
    static String server(String protocol, String host, String port) {
        String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        return protocol + "://" + h + ":" + port;
    }

    /**
     * Cluster {@code local}, user {@code whereabouts} with the token, context
     * {@code whereabouts-context} in {@code namespace} (the names upstream's installer uses, so tools
     * that read the file keep working). With {@code ca == null} TLS verification is skipped, which
     * only {@code SKIP_TLS_VERIFY=true} asks for.
     */
    static String render(String server, byte[] ca, String token, String namespace) {
        String tls = ca == null
                ? "    insecure-skip-tls-verify: true\n"
                : "    certificate-authority-data: " + Base64.getEncoder().encodeToString(ca) + "\n";
        return "# Written by 'whereabouts install' from the service account; rewritten when the token or CA changes.\n"
                + "apiVersion: v1\n"
                + "kind: Config\n"
                + "clusters:\n"
                + "- name: local\n"
                + "  cluster:\n"
                + "    server: " + quote(server) + "\n"
                + tls
                + "users:\n"
                + "- name: whereabouts\n"
                + "  user:\n"
                + "    token: " + quote(token) + "\n"
                + "contexts:\n"
                + "- name: whereabouts-context\n"
                + "  context:\n"
                + "    cluster: local\n"
                + "    user: whereabouts\n"
                + "    namespace: " + quote(namespace) + "\n"
                + "current-context: whereabouts-context\n";
    }

    /** A YAML double-quoted scalar; tokens and URLs never need more than these escapes. */
    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
