package dev.whereabouts.ipam.engine.config;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.InvalidConfigException;
import dev.whereabouts.ipam.api.IpamException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns one {@code range}/{@code range_start}/{@code range_end}/{@code exclude} group into a {@link RangeConfig}. */
public final class RangeParser {

    private static final Logger LOG = LoggerFactory.getLogger(RangeParser.class);

    private RangeParser() {}

    /**
     * Parses a range entry.
     *
     * @param field the JSON path for error messages ({@code range}, {@code ipRanges[1].range})
     * @param sloppyBounds whether start/end are parsed sloppily and dropped when unparseable (the
     *     top level, as upstream) or strictly (entries of {@code ipRanges})
     */
    static RangeConfig parse(String field, String rangeText, Optional<String> startText, Optional<String> endText,
            List<String> excludes, Optional<IpAddress> gateway, boolean sloppyBounds) {
        Cidr cidr;
        Optional<IpAddress> start;
        Optional<IpAddress> end;
        int dash = rangeText.indexOf('-');
        if (dash >= 0) {
            String left = rangeText.substring(0, dash);
            String right = rangeText.substring(dash + 1);
            start = Optional.of(SloppyIp.parse(left).orElseThrow(
                    () -> invalid(field, rangeText, "invalid range start IP: " + left)));
            try {
                cidr = SloppyIp.parseCidr(right);
            } catch (IllegalArgumentException e) {
                throw invalid(field, rangeText, "invalid CIDR (do you have the 'range' parameter set for Whereabouts?) '"
                        + right + "': " + e.getMessage());
            }
            end = Optional.of(cidr.address());
            if (!cidr.contains(start.get())) {
                throw invalid(field, rangeText, "invalid range start for CIDR " + cidr.canonical() + ": " + start.get());
            }
            if (start.get().compareTo(end.get()) > 0) {
                throw invalid(field, rangeText, "range start " + start.get() + " is after range end " + end.get());
            }
        } else {
            try {
                cidr = SloppyIp.parseCidr(rangeText);
            } catch (IllegalArgumentException e) {
                throw invalid(field, rangeText, "invalid CIDR " + rangeText + ": " + e.getMessage());
            }
            start = bound(field + "_start", startText, sloppyBounds);
            end = bound(field + "_end", endText, sloppyBounds);
        }
        cidr = cidr.canonical();
        if (cidr.hostBits() < 2) {
            throw invalid(field, rangeText, "net mask is too short, subnet " + cidr
                    + " has no usable IP addresses, it is too small");
        }
        checkInside(field + "_start", start, cidr);
        checkInside(field + "_end", end, cidr);
        List<Cidr> exclude = new ArrayList<>();
        for (int i = 0; i < excludes.size(); i++) {
            Cidr ex = parseExclude(excludes.get(i));
            if (ex.v6() != cidr.v6()) {
                // Upstream never matches an exclude of the other family; it is harmless, so warn only.
                LOG.warn("exclude entry {} of range {} is of the other IP family; ignored", excludes.get(i), cidr);
                continue;
            }
            exclude.add(ex.canonical());
        }
        if (gateway.isPresent() && gateway.get().v6() != cidr.v6()) {
            throw invalid(field.replace("range", "gateway"), gateway.get().toString(),
                    "gateway is not of the same IP family as range " + cidr);
        }
        return new RangeConfig(cidr, start, end, exclude, excludes, gateway);
    }

    /**
     * Parses one exclude entry: a CIDR (host bits allowed) or a bare address.
     *
     * @throws IpamException code 7 starting with upstream's text {@code could not parse exclude range}
     */
    public static Cidr parseExclude(String text) {
        String t = text;
        try {
            if (t.indexOf('/') >= 0) {
                return SloppyIp.parseCidr(t);
            }
            return Cidr.ofHost(SloppyIp.parse(t).orElseThrow(() -> new IllegalArgumentException("invalid IP address: " + t)));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException("could not parse exclude range, err: \"" + e.getMessage() + "\"",
                    "exclude", text, "not a CIDR or IP address");
        }
    }

    private static Optional<IpAddress> bound(String field, Optional<String> text, boolean sloppy) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Optional<IpAddress> ip = sloppy ? SloppyIp.parse(text.get()) : strict(text.get());
        if (ip.isEmpty()) {
            if (sloppy) {
                LOG.warn("{} '{}' is not an IP address; ignored as upstream does", field, text.get());
            } else {
                throw new InvalidConfigException(field, text.get(), "not an IP address");
            }
        }
        return ip;
    }

    private static Optional<IpAddress> strict(String text) {
        try {
            return Optional.of(IpAddress.parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static void checkInside(String field, Optional<IpAddress> ip, Cidr cidr) {
        if (ip.isEmpty()) {
            return;
        }
        if (ip.get().v6() != cidr.v6()) {
            throw new InvalidConfigException(field, ip.get().toString(), "not of the same IP family as range " + cidr);
        }
        if (!cidr.contains(ip.get())) {
            throw new InvalidConfigException(field, ip.get().toString(), "outside range " + cidr);
        }
    }

    private static IpamException invalid(String field, String value, String msg) {
        return new InvalidConfigException(msg, field, value, "");
    }
}
