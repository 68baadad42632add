package dev.whereabouts.ipam.engine.config;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import java.util.Optional;

/**
 * Upstream reads top-level IPs "sloppily": IPv4 octets may carry leading zeros and are read as
 * decimal ({@code 00192.00168.01.209} is {@code 192.168.1.209}). Configurations in the field rely
 * on it, so the top-level {@code range}, {@code range_start} and {@code range_end} accept it too.
 */
final class SloppyIp {

    private SloppyIp() {}

    /** The address, or empty when the text is no address even when read sloppily. */
    static Optional<IpAddress> parse(String text) {
        // No trimming: like every CNI plugin, an address with spaces around it is no address.
        String t = text;
        if (t.indexOf(':') >= 0) {
            try {
                return Optional.of(IpAddress.parse(t));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        String[] parts = t.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        long value = 0;
        for (String p : parts) {
            if (p.isEmpty() || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return Optional.empty();
            }
            String digits = p.replaceFirst("^0+(?=.)", "");
            if (digits.length() > 3) {
                return Optional.empty();
            }
            int octet = Integer.parseInt(digits);
            if (octet > 255) {
                return Optional.empty();
            }
            value = (value << 8) | octet;
        }
        return Optional.of(IpAddress.ofV4(value));
    }

    /**
     * Parses {@code ip/prefix} with a sloppy address part.
     *
     * @throws IllegalArgumentException naming the problem
     */
    static Cidr parseCidr(String text) {
        String t = text;
        int slash = t.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("missing '/prefix'");
        }
        IpAddress ip = parse(t.substring(0, slash))
                .orElseThrow(() -> new IllegalArgumentException("'" + t.substring(0, slash) + "' is not an IP address"));
        String p = t.substring(slash + 1);
        if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("'" + p + "' is not a prefix length");
        }
        int prefix = Integer.parseInt(p);
        if (prefix > ip.bits()) {
            throw new IllegalArgumentException("prefix /" + prefix + " is too long for " + ip);
        }
        return new Cidr(ip, prefix);
    }
}
