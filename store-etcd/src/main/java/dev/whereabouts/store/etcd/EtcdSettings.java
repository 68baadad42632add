package dev.whereabouts.store.etcd;

import dev.whereabouts.ipam.api.InvalidConfigException;
import dev.whereabouts.ipam.spi.StoreConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The validated {@code etcd_*} fields of an {@code ipam} section. Only syntax is checked here; files
 * are read by {@link TlsFiles} when the client is built.
 *
 * @param endpoints {@code http(s)://host:port}, at least one, all with the same scheme
 * @param username basic-auth user, empty for none
 * @param password basic-auth password, empty for none
 * @param certFile client certificate (PEM), empty for none
 * @param keyFile client private key (PEM), empty for none
 * @param caFile trusted CA bundle (PEM), empty to trust the JDK's CAs
 * @param prefix key prefix, starts with {@code /}, no trailing {@code /}
 * @param timeout bound of every call to etcd
 * @param maxTxnOps etcd's {@code --max-txn-ops}: the largest transaction the server accepts
 * @param watchPools whether the store follows the pools the engine writes by a watch ({@link PoolFeeds})
 */
record EtcdSettings(List<URI> endpoints, String username, String password, String certFile,
        String keyFile, String caFile, String prefix, Duration timeout, int maxTxnOps, boolean watchPools) {

    static final String HOST = "etcd_host";
    static final String USERNAME = "etcd_username";
    static final String PASSWORD = "etcd_password";
    static final String CERT = "etcd_cert_file";
    static final String KEY = "etcd_key_file";
    static final String CA = "etcd_ca_cert_file";
    static final String PREFIX = "etcd_prefix";
    static final String TIMEOUT = "etcd_timeout_ms";
    static final String MAX_TXN_OPS = "etcd_max_txn_ops";
    static final String WATCH_POOLS = "etcd_watch_pools";

    static final String DEFAULT_PREFIX = "/whereabouts";
    static final long DEFAULT_TIMEOUT_MS = 5000;
    /** etcd's own default for {@code --max-txn-ops}. */
    static final int DEFAULT_MAX_TXN_OPS = 128;
    private static final int DEFAULT_PORT = 2379;

    /** Whether the client talks TLS. */
    boolean tls() {
        return endpoints.getFirst().getScheme().equals("https");
    }

    /** The settings parsed last, with the field values they came from. */
    private record Parsed(List<Object> inputs, EtcdSettings settings) {}

    private static final List<String> FIELDS = List.of(USERNAME, PASSWORD, CERT, KEY, CA, HOST, PREFIX, TIMEOUT,
            MAX_TXN_OPS, WATCH_POOLS);

    /**
     * The daemon asks for the settings of the same section on every call (to find the open client,
     * then to open it). Parsing is a function of the {@code etcd_*} values alone, so equal values
     * give the settings parsed last; a section changed in place therefore still gets its own.
     */
    private static volatile Parsed last;

    static EtcdSettings from(StoreConfig config) {
        List<Object> inputs = new ArrayList<>(FIELDS.size());
        for (String field : FIELDS) {
            Object v = config.value(field).orElse(null);
            inputs.add(v instanceof List<?> list ? new ArrayList<>(list) : v); // a copy: callers may edit theirs
        }
        Parsed p = last;
        if (p != null && p.inputs().equals(inputs)) {
            return p.settings();
        }
        EtcdSettings settings = parse(config);
        last = new Parsed(inputs, settings);
        return settings;
    }

    private static EtcdSettings parse(StoreConfig config) {
        String username = config.string(USERNAME).orElse("");
        String password = config.string(PASSWORD).orElse("");
        if (username.isEmpty() != password.isEmpty()) {
            throw new InvalidConfigException(username.isEmpty() ? USERNAME : PASSWORD, "",
                    "etcd_username and etcd_password must be set together");
        }
        String cert = config.string(CERT).orElse("").strip();
        String key = config.string(KEY).orElse("").strip();
        String ca = config.string(CA).orElse("").strip();
        if (cert.isEmpty() != key.isEmpty()) {
            throw new InvalidConfigException(cert.isEmpty() ? CERT : KEY, "",
                    "etcd_cert_file and etcd_key_file must be set together (mutual TLS)");
        }
        boolean filesAskForTls = !cert.isEmpty() || !ca.isEmpty();
        List<URI> endpoints = endpoints(config.strings(HOST), filesAskForTls);
        return new EtcdSettings(endpoints, username, password, cert, key, ca, prefix(config),
                Duration.ofMillis(positive(config, TIMEOUT, DEFAULT_TIMEOUT_MS, 3_600_000)),
                (int) positive(config, MAX_TXN_OPS, DEFAULT_MAX_TXN_OPS, 1_000_000),
                config.bool(WATCH_POOLS).orElse(false));
    }

    private static List<URI> endpoints(List<String> hosts, boolean filesAskForTls) {
        if (hosts.isEmpty()) {
            throw new InvalidConfigException(HOST, "", "at least one etcd endpoint is required (host:port or http(s)://host:port)");
        }
        boolean anyHttps = hosts.stream().anyMatch(h -> h.regionMatches(true, 0, "https://", 0, 8));
        boolean tls = anyHttps || filesAskForTls;
        List<URI> out = new ArrayList<>();
        for (String host : hosts) {
            URI uri = endpoint(host, tls);
            if (tls && uri.getScheme().equals("http")) {
                throw new InvalidConfigException(HOST, host, filesAskForTls
                        ? "plain http endpoint, but TLS files (etcd_cert_file/etcd_ca_cert_file) are configured"
                        : "plain http endpoint mixed with https endpoints");
            }
            if (!out.contains(uri)) {
                out.add(uri);
            }
        }
        return List.copyOf(out);
    }

    private static URI endpoint(String text, boolean tls) {
        String withScheme = text.contains("://") ? text : (tls ? "https://" : "http://") + text;
        URI uri;
        try {
            uri = new URI(withScheme);
        } catch (URISyntaxException e) {
            throw new InvalidConfigException(HOST, text, "not host:port or http(s)://host:port");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new InvalidConfigException(HOST, text, "scheme must be http or https");
        }
        if (uri.getHost() == null || uri.getUserInfo() != null
                || (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new InvalidConfigException(HOST, text, "not host:port or http(s)://host:port");
        }
        int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
        if (port < 1 || port > 65_535) {
            throw new InvalidConfigException(HOST, text, "port must be between 1 and 65535");
        }
        return URI.create(scheme + "://" + uri.getHost() + ":" + port);
    }

    private static String prefix(StoreConfig config) {
        String raw = config.string(PREFIX).orElse(DEFAULT_PREFIX).strip();
        String p = raw.startsWith("/") ? raw : "/" + raw;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.equals("/") || p.contains("\0")) {
            throw new InvalidConfigException(PREFIX, raw, "must be a non-empty key prefix such as /whereabouts");
        }
        return p;
    }

    private static long positive(StoreConfig config, String field, long fallback, long max) {
        Optional<Long> v = config.number(field);
        long value = v.orElse(fallback);
        if (value <= 0 || value > max) {
            throw new InvalidConfigException(field, String.valueOf(value), "must be between 1 and " + max);
        }
        return value;
    }

    @Override
    public String toString() {
        // Never print the password: settings end up in logs and error details.
        return "EtcdSettings[endpoints=" + endpoints + ", username=" + username + ", prefix=" + prefix
                + ", timeout=" + timeout.toMillis() + "ms" + (watchPools ? ", watchPools" : "") + "]";
    }
}
