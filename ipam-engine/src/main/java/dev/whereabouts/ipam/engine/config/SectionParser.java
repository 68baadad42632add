package dev.whereabouts.ipam.engine.config;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.InvalidConfigException;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.engine.LogLevel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads every field of a merged {@code ipam} section into an {@link IpamSection}. */
final class SectionParser {

    private static final Logger LOG = LoggerFactory.getLogger(SectionParser.class);
    static final String DEFAULT_SOCKET = dev.whereabouts.ipam.engine.IpamConfig.DEFAULT_DAEMON_SOCKET;
    static final String DEFAULT_ATTACHMENTS = "/var/lib/cni/whereabouts/attachments";
    static final long MAX_TIMEOUT_MS = 86_400_000;

    private SectionParser() {}

    static IpamSection parse(Fields f, CniArgs args, String version, Optional<Path> flatFile) {
        Optional<IpAddress> gateway = f.string("gateway").map(g -> parseIp("gateway", g, "couldn't parse gateway IP: " + g));
        List<RangeConfig> ranges = new ArrayList<>();
        Optional<String> range = f.string("range");
        if (range.isPresent()) {
            ranges.add(RangeParser.parse("range", range.get(), f.string("range_start"), f.string("range_end"),
                    f.strings("exclude"), Optional.empty(), true));
        }
        List<Object> entries = f.list("ipRanges");
        for (int i = 0; i < entries.size(); i++) {
            String path = "ipRanges[" + i + "]";
            Fields e = Fields.of(entries.get(i), path);
            String text = e.string("range").orElseThrow(() -> new InvalidConfigException(path + ".range", "", "a range is required"));
            Optional<IpAddress> gw = e.string("gateway").map(g -> parseIp(path + ".gateway", g, "couldn't parse gateway IP: " + g));
            ranges.add(RangeParser.parse(path + ".range", text, e.string("range_start"), e.string("range_end"),
                    e.strings("exclude"), gw, false));
        }
        // The top-level gateway belongs to ranges of its own family that have none of their own.
        for (int i = 0; i < ranges.size(); i++) {
            RangeConfig r = ranges.get(i);
            if (r.gateway().isEmpty() && gateway.isPresent() && gateway.get().v6() == r.range().v6()) {
                ranges.set(i, r.withGateway(gateway));
            }
        }
        List<StaticAddress> addresses = addresses(f, args);
        if (CniVersions.legacy(version)) {
            long v4 = addresses.stream().filter(a -> !a.address().v6()).count();
            long v6 = addresses.size() - v4;
            if (v4 > 1 || v6 > 1) {
                throw new InvalidConfigException("CNI version " + version + " does not support more than 1 address per family",
                        "ipam.addresses", addresses.size() + " addresses", "");
            }
        }
        LogLevel level = f.string("log_level").map(text -> LogLevel.parse(text).orElseGet(() -> {
            LOG.warn("log_level '{}' is not one of debug, verbose, error, panic; keeping debug", text);
            return LogLevel.DEBUG;
        })).orElse(LogLevel.DEBUG);
        // The store's own fields (kubernetes.*, etcd_*, file.*) are its provider's to check.
        Optional<Long> timeout = f.number("store_timeout_ms");
        if (timeout.isPresent() && (timeout.get() <= 0 || timeout.get() > MAX_TIMEOUT_MS)) {
            throw new InvalidConfigException(f.path("store_timeout_ms"), Long.toString(timeout.get()),
                    "must be between 1 and " + MAX_TIMEOUT_MS + " (a day)");
        }
        leaderTimings(f);
        return new IpamSection(ranges, gateway, routes(f), dns(f), addresses, f.string("network_name").orElse(""),
                f.bool("enable_overlapping_ranges").orElse(true), nodeSlice(f, ranges), nodeRanges(f),
                Ipv4Namespaces.parse(f),
                f.string("log_file").map(Path::of), level, f.string("reconciler_cron_expression").orElse(""),
                f.string("configuration_path"), f.string("datastore").orElse(IpamSection.DEFAULT_DATASTORE),
                absolutePath(f, "daemon_socket", DEFAULT_SOCKET),
                absolutePath(f, "attachments_dir", DEFAULT_ATTACHMENTS), timeout.map(Duration::ofMillis),
                flatFile, Collections.unmodifiableMap(f.raw()));
    }

    /**
     * {@code node_ranges}: {@code true}, or an object with an optional {@code annotation}. It replaces
     * the configured ranges, so it cannot be combined with them or with node slices.
     */
    private static Optional<NodeRangesConfig> nodeRanges(Fields f) {
        Optional<Object> value = f.value("node_ranges");
        if (value.isEmpty() || Boolean.FALSE.equals(value.get())) {
            return Optional.empty();
        }
        String annotation;
        boolean defaultGateway = false;
        if (Boolean.TRUE.equals(value.get())) {
            annotation = "";
        } else if (value.get() instanceof Map<?, ?>) {
            Fields n = f.object("node_ranges").orElseThrow();
            annotation = n.string("annotation").orElse("").strip();
            defaultGateway = n.bool("default_gateway").orElse(false);
        } else {
            throw new InvalidConfigException(f.path("node_ranges"), String.valueOf(value.get()),
                    "must be true or an object such as {\"annotation\": \"example.com/ranges\"}");
        }
        for (String other : List.of("range", "ipRanges", "node_slice_size")) {
            if (f.value(other).isPresent()) {
                throw new InvalidConfigException(f.path("node_ranges"), String.valueOf(value.get()),
                        "takes the ranges from the node and cannot be combined with '" + other + "'");
            }
        }
        List<String> exclude = f.strings("exclude");
        exclude.forEach(RangeParser::parseExclude);
        return Optional.of(new NodeRangesConfig(annotation, exclude, defaultGateway));
    }

    /**
     * Upstream's leader-election timings: accepted so that its configurations load unchanged, and
     * checked as upstream's decoder checks them (numbers), but never used: there is no cluster-wide
     * Lease on the ADD path, only optimistic concurrency per pool.
     */
    private static void leaderTimings(Fields f) {
        for (String key : List.of("leader_lease_duration", "leader_renew_deadline", "leader_retry_period")) {
            f.number(key);
        }
    }

    private static OptionalInt nodeSlice(Fields f, List<RangeConfig> ranges) {
        Optional<String> size = f.string("node_slice_size");
        if (size.isEmpty()) {
            return OptionalInt.empty();
        }
        String digits = size.get().strip().startsWith("/") ? size.get().strip().substring(1) : size.get().strip();
        if (!digits.matches("\\d{1,3}")) {
            throw new InvalidConfigException(f.path("node_slice_size"), size.get(), "must be \"/N\" or \"N\"");
        }
        int prefix = Integer.parseInt(digits);
        for (RangeConfig r : ranges) {
            if (prefix < r.range().prefix() || prefix > r.range().address().bits() - 2) {
                throw new InvalidConfigException(f.path("node_slice_size"), size.get(),
                        "a slice must be at least as long as range " + r.range() + " and hold a usable address");
            }
        }
        return OptionalInt.of(prefix);
    }

    private static List<StaticAddress> addresses(Fields f, CniArgs args) {
        List<StaticAddress> out = new ArrayList<>();
        List<Object> list = f.list("addresses");
        for (int i = 0; i < list.size(); i++) {
            Fields a = Fields.of(list.get(i), "ipam.addresses[" + i + "]");
            String text = a.string("address").orElse("");
            Cidr cidr = parseCidr(a.path("address"), text, "invalid CIDR in addresses " + text);
            Optional<IpAddress> gw = a.string("gateway").map(g -> parseIp(a.path("gateway"), g, "couldn't parse gateway IP: " + g));
            out.add(new StaticAddress(cidr, gw));
        }
        // CNI_ARGS is the environment: its bad values are code 4, not 7.
        List<IpAddress> gateways = args.gateways().stream()
                .map(g -> fromEnvironment(() -> parseIp("CNI_ARGS GATEWAY", g, "invalid gateway " + g))).toList();
        for (String ip : args.ips()) {
            out.add(new StaticAddress(fromEnvironment(() -> parseCidr("CNI_ARGS IP", ip, "invalid CIDR " + ip)),
                    Optional.empty()));
        }
        // A GATEWAY from CNI_ARGS belongs to every static address whose subnet holds it.
        for (int i = 0; i < out.size(); i++) {
            StaticAddress s = out.get(i);
            for (IpAddress gw : gateways) {
                if (s.address().contains(gw)) {
                    out.set(i, new StaticAddress(s.address(), Optional.of(gw)));
                }
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> routes(Fields f) {
        List<Object> list = f.list("routes");
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Fields r = Fields.of(list.get(i), "ipam.routes[" + i + "]");
            String dst = r.string("dst").orElse("");
            // Results print addresses canonically, as upstream's Go types do (3ffe:0:01ff::/64 comes
            // back as 3ffe:0:1ff::/64); the other route keys pass through as written.
            Map<String, Object> route = new LinkedHashMap<>((Map<String, Object>) list.get(i));
            route.put("dst", parseCidr(r.path("dst"), dst, "invalid route destination " + dst).toString());
            r.string("gw").ifPresent(g -> route.put("gw", parseIp(r.path("gw"), g, "invalid route gateway " + g).toString()));
            out.add(Collections.unmodifiableMap(route));
        }
        return out;
    }

    /** Copied into results as written, so its shape is checked here rather than printed wrong. */
    private static Map<String, Object> dns(Fields f) {
        Optional<Fields> dns = f.object("dns");
        dns.ifPresent(d -> {
            d.string("domain");
            d.strings("nameservers");
            d.strings("search");
            d.strings("options");
        });
        return dns.map(Fields::raw).orElse(Map.of());
    }

    /** A path the plugin writes or connects to: relative would depend on the runtime's working directory. */
    private static Path absolutePath(Fields f, String key, String fallback) {
        String text = f.string(key).orElse(fallback);
        Path path;
        try {
            path = Path.of(text);
        } catch (java.nio.file.InvalidPathException e) {
            throw new InvalidConfigException(f.path(key), text.replace("\0", "\\0"), "not a path: " + e.getReason());
        }
        if (!path.isAbsolute()) {
            throw new InvalidConfigException(f.path(key), text, "must be an absolute path");
        }
        return path;
    }

    private static <T> T fromEnvironment(java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IpamException e) {
            throw new IpamException(IpamException.INVALID_ENVIRONMENT, e.getMessage(), e.details());
        }
    }

    static IpAddress parseIp(String field, String text, String msg) {
        try {
            return IpAddress.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(msg, field, text, "");
        }
    }

    static Cidr parseCidr(String field, String text, String msg) {
        try {
            return Cidr.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(msg + ": " + e.getMessage(), field, text, "");
        }
    }
}
