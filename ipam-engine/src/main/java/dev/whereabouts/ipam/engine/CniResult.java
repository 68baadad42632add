package dev.whereabouts.ipam.engine;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.engine.config.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of an ADD in the newest model, printed in any CNI version with {@link #toJson}.
 *
 * <p>Addresses come in this order: one per configured range (in range order), then the static
 * {@code addresses}, then {@code IP=} from {@code CNI_ARGS}. {@code routes} and {@code dns} are
 * copied from the configuration.
 */
public final class CniResult {

    /**
     * One address of the result.
     *
     * @param address host address with the prefix of its range, e.g. {@code 10.1.0.5/16}
     * @param gateway the gateway, if any
     */
    public record Ip(Cidr address, Optional<IpAddress> gateway) {
        /** Rejects nulls. */
        public Ip {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(gateway, "gateway");
        }
    }

    private final List<Ip> ips;
    private final List<Map<String, Object>> routes;
    private final Map<String, Object> dns;

    /**
     * A result.
     *
     * @param routes route objects ({@code dst}, optional {@code gw}, and the 1.1 fields) as plain values
     * @param dns the DNS object as plain values ({@code nameservers}, {@code domain}, {@code search}, {@code options})
     */
    public CniResult(List<Ip> ips, List<Map<String, Object>> routes, Map<String, Object> dns) {
        this.ips = List.copyOf(ips);
        this.routes = routes.stream().map(r -> java.util.Collections.unmodifiableMap(new LinkedHashMap<>(r))).toList();
        this.dns = new LinkedHashMap<>(dns);
    }

    /** The addresses, in result order. */
    public List<Ip> ips() {
        return ips;
    }

    /** The routes as configured. */
    public List<Map<String, Object>> routes() {
        return routes;
    }

    /** The DNS settings as configured (empty when none). */
    public Map<String, Object> dns() {
        return java.util.Collections.unmodifiableMap(dns);
    }

    /**
     * Prints the result as the given CNI version prints it: {@code ip4}/{@code ip6} for 0.1.0 and
     * 0.2.0, {@code ips[].version} and an always-present {@code dns} for 0.3.x and 0.4.0, neither for
     * 1.x.
     *
     * @throws IpamException code 1 for an unsupported version; 999 with "no valid IP addresses"
     *     when a 0.1.0/0.2.0 result has none; 7 when such a result has more than one address per family
     */
    public String toJson(String cniVersion) {
        return Json.write(ResultJson.render(this, cniVersion));
    }

    /**
     * Reads a result printed by {@link #toJson} in any version 0.3.0 or newer (the daemon answers in
     * the newest model; clients convert down).
     *
     * @throws IpamException code 6 when the text is not such a result
     */
    @SuppressWarnings("unchecked")
    public static CniResult fromJson(String json) {
        Map<String, Object> doc = Json.parseObject(json.getBytes(StandardCharsets.UTF_8), "CNI result");
        try {
            List<Ip> ips = new ArrayList<>();
            for (Object o : (List<Object>) doc.getOrDefault("ips", List.of())) {
                Map<String, Object> m = (Map<String, Object>) o;
                Optional<IpAddress> gw = Optional.ofNullable((String) m.get("gateway")).map(IpAddress::parse);
                ips.add(new Ip(Cidr.parse((String) m.get("address")), gw));
            }
            List<Map<String, Object>> routes = (List<Map<String, Object>>) doc.getOrDefault("routes", List.of());
            Map<String, Object> dns = (Map<String, Object>) doc.getOrDefault("dns", Map.of());
            return new CniResult(ips, routes, dns);
        } catch (ClassCastException | IllegalArgumentException | NullPointerException e) {
            throw new IpamException(IpamException.DECODING_FAILURE, "invalid CNI result", e.toString(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CniResult r && ips.equals(r.ips) && routes.equals(r.routes) && dns.equals(r.dns);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ips, routes, dns);
    }

    @Override
    public String toString() {
        return toJson("1.1.0");
    }
}
