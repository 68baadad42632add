package dev.whereabouts.ipam.api;

import java.math.BigInteger;

/**
 * An address with a prefix length, as in {@code 10.11.88.96/28} or {@code fd00::5/64}.
 *
 * <p>The address may carry host bits (a CNI result's {@code 10.1.0.5/16} does); {@link #network()}
 * masks them off. A pool range is always kept in its {@link #canonical()} form.
 *
 * @param address the address as written
 * @param prefix the prefix length, 0..32 for IPv4 and 0..128 for IPv6
 * @since 0.1
 */
public record Cidr(IpAddress address, int prefix) {

    /** Checks the prefix against the family. */
    public Cidr {
        if (prefix < 0 || prefix > address.bits()) {
            throw new IllegalArgumentException("invalid prefix length /" + prefix + " for " + address);
        }
    }

    /**
     * Parses {@code address/prefix}.
     *
     * @throws IllegalArgumentException when the text is not a CIDR
     */
    public static Cidr parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("invalid CIDR address: " + text);
        }
        IpAddress ip;
        try {
            ip = IpAddress.parse(text.substring(0, slash));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid CIDR address: " + text, e);
        }
        String p = text.substring(slash + 1);
        if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("invalid CIDR address: " + text);
        }
        int prefix = Integer.parseInt(p);
        if (prefix > ip.bits()) {
            throw new IllegalArgumentException("invalid CIDR address: " + text);
        }
        return new Cidr(ip, prefix);
    }

    /** The CIDR of a single address ({@code /32} or {@code /128}). */
    public static Cidr ofHost(IpAddress ip) {
        return new Cidr(ip, ip.bits());
    }

    /** Whether this is an IPv6 CIDR. */
    public boolean v6() {
        return address.v6();
    }

    /** Number of host bits: {@code bits - prefix}. */
    public int hostBits() {
        return address.bits() - prefix;
    }

    /** The first address of the network (host bits cleared). */
    public IpAddress network() {
        int hostBits = hostBits();
        long hiMask = hostBits >= 128 ? 0 : hostBits <= 64 ? -1L : -1L << (hostBits - 64);
        long loMask = hostBits >= 64 ? 0 : -1L << hostBits;
        if (!address.v6()) {
            loMask &= 0xFFFF_FFFFL;
        }
        return new IpAddress(address.v6(), address.high() & hiMask, address.low() & loMask);
    }

    /** The last address of the network (the IPv4 broadcast address). */
    public IpAddress lastAddress() {
        int hostBits = hostBits();
        long hiFill = hostBits <= 64 ? 0 : hostBits >= 128 ? -1L : (1L << (hostBits - 64)) - 1;
        long loFill = hostBits >= 64 ? -1L : (1L << hostBits) - 1;
        IpAddress n = network();
        if (!address.v6()) {
            return new IpAddress(false, 0, n.low() | (loFill & 0xFFFF_FFFFL));
        }
        return new IpAddress(true, n.high() | hiFill, n.low() | loFill);
    }

    /** This CIDR with host bits cleared, e.g. {@code 10.0.0.5/24} becomes {@code 10.0.0.0/24}. */
    public Cidr canonical() {
        IpAddress n = network();
        return n.equals(address) ? this : new Cidr(n, prefix);
    }

    /** Whether {@code ip} is inside this network (same family, same prefix bits). */
    public boolean contains(IpAddress ip) {
        return ip.v6() == address.v6()
                && ip.compareTo(network()) >= 0
                && ip.compareTo(lastAddress()) <= 0;
    }

    /** Whether the whole of {@code other} lies inside this network. */
    public boolean contains(Cidr other) {
        return other.prefix >= prefix && contains(other.network());
    }

    /** Whether the two networks share at least one address. */
    public boolean overlaps(Cidr other) {
        return contains(other.network()) || other.contains(network());
    }

    /** Number of addresses in the network, {@code 2^hostBits}. */
    public BigInteger size() {
        return BigInteger.ONE.shiftLeft(hostBits());
    }

    @Override
    public String toString() {
        return address + "/" + prefix;
    }
}
