package dev.whereabouts.ipam.engine;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.engine.config.CniVersions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders a {@link CniResult} in the shape of one CNI version, field order as the Go library prints. */
final class ResultJson {

    private static final List<String> DNS_KEYS = List.of("nameservers", "domain", "search", "options");
    private static final List<String> ROUTE_KEYS = List.of("dst", "gw", "mtu", "advmss", "priority", "table", "scope");

    private ResultJson() {}

    static Map<String, Object> render(CniResult result, String version) {
        CniVersions.require(version);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cniVersion", version);
        if (CniVersions.legacy(version)) {
            legacy(result, version, out);
            return out;
        }
        boolean withVersion = version.startsWith("0.");
        List<Map<String, Object>> ips = new ArrayList<>();
        for (CniResult.Ip ip : result.ips()) {
            Map<String, Object> m = new LinkedHashMap<>();
            if (withVersion) {
                m.put("version", ip.address().v6() ? "6" : "4");
            }
            m.put("address", ip.address().toString());
            ip.gateway().ifPresent(g -> m.put("gateway", g.toString()));
            ips.add(m);
        }
        if (!ips.isEmpty()) {
            out.put("ips", ips);
        }
        List<Map<String, Object>> routes = routes(result.routes(), version.equals("1.1.0"));
        if (!routes.isEmpty()) {
            out.put("routes", routes);
        }
        Map<String, Object> dns = dns(result.dns());
        if (withVersion || !dns.isEmpty()) {
            out.put("dns", dns);
        }
        return out;
    }

    private static void legacy(CniResult result, String version, Map<String, Object> out) {
        CniResult.Ip v4 = null;
        CniResult.Ip v6 = null;
        for (CniResult.Ip ip : result.ips()) {
            boolean six = ip.address().v6();
            if ((six ? v6 : v4) != null) {
                throw new IpamException(IpamException.INVALID_CONFIG,
                        "CNI version " + version + " does not support more than 1 address per family",
                        "result holds " + result.ips().size() + " addresses");
            }
            if (six) {
                v6 = ip;
            } else {
                v4 = ip;
            }
        }
        if (v4 == null && v6 == null) {
            throw new IpamException(IpamException.INTERNAL, "no valid IP addresses", "CNI version " + version);
        }
        List<Map<String, Object>> routes = routes(result.routes(), false);
        if (v4 != null) {
            out.put("ip4", legacyIp(v4, routes, false));
        }
        if (v6 != null) {
            out.put("ip6", legacyIp(v6, routes, true));
        }
        out.put("dns", dns(result.dns()));
    }

    private static Map<String, Object> legacyIp(CniResult.Ip ip, List<Map<String, Object>> routes, boolean six) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ip", ip.address().toString());
        ip.gateway().ifPresent(g -> m.put("gateway", g.toString()));
        List<Map<String, Object>> mine = routes.stream()
                .filter(r -> Cidr.parse(String.valueOf(r.get("dst"))).v6() == six).toList();
        if (!mine.isEmpty()) {
            m.put("routes", mine);
        }
        return m;
    }

    private static List<Map<String, Object>> routes(List<Map<String, Object>> routes, boolean v11) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> r : routes) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (String key : ROUTE_KEYS) {
                Object v = lookup(r, key);
                // Before CNI 1.1 a route has only a destination and a gateway.
                if (v != null && (v11 || key.equals("dst") || key.equals("gw"))) {
                    m.put(key, v);
                }
            }
            out.add(m);
        }
        return out;
    }

    private static Map<String, Object> dns(Map<String, Object> dns) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String key : DNS_KEYS) {
            Object v = lookup(dns, key);
            if (v != null && !(v instanceof String s && s.isEmpty()) && !(v instanceof List<?> l && l.isEmpty())) {
                out.put(key, v);
            }
        }
        return out;
    }

    private static Object lookup(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v != null) {
            return v;
        }
        return m.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(key)).map(Map.Entry::getValue)
                .filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }
}
