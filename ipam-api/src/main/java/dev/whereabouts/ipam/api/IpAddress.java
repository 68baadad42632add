package dev.whereabouts.ipam.api;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 address as a 128-bit unsigned value.
 *
 * <p>IPv4 addresses keep {@code high == 0} and their 32 bits in the low bits of {@code low}. IPv4 and
 * IPv6 never compare equal, even for IPv4-mapped IPv6 addresses: a pool holds one family only.
 * Ordering is IPv4 before IPv6, then by unsigned numeric value, so a sorted set of addresses is in
 * allocation order.
 *
 * <p>{@link #toString()} prints the canonical text that upstream whereabouts (Go's {@code net.IP})
 * prints: dotted decimal for IPv4, RFC 5952 lower-case compressed form for IPv6. Store object names
 * are derived from that text, so it must not change.
 *
 * @param v6 whether this is an IPv6 address
 * @param high the upper 64 bits (always 0 for IPv4)
 * @param low the lower 64 bits
 * @since 0.1
 */
public record IpAddress(boolean v6, long high, long low) implements Comparable<IpAddress> {

    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    /** Checks that an IPv4 value fits in 32 bits. */
    public IpAddress {
        if (!v6 && (high != 0 || (low >>> 32) != 0)) {
            throw new IllegalArgumentException("IPv4 value out of range: " + Long.toUnsignedString(low));
        }
    }

    /** Builds an IPv4 address from its 32-bit value. */
    public static IpAddress ofV4(long value) {
        return new IpAddress(false, 0, value);
    }

    /** Builds an IPv6 address from its two 64-bit halves. */
    public static IpAddress ofV6(long high, long low) {
        return new IpAddress(true, high, low);
    }

    /**
     * Parses an address strictly: dotted-decimal IPv4 without leading zeros beyond a single digit run
     * that fits 0..255, or any RFC 4291 IPv6 text form (including an embedded IPv4 tail). Zone ids and
     * host names are refused.
     *
     * @throws IllegalArgumentException when the text is not an address
     */
    public static IpAddress parse(String text) {
        return AddressText.parse(text);
    }

    /** Builds an address of the given family from its unsigned numeric value. */
    public static IpAddress fromBigInteger(boolean v6, BigInteger value) {
        int bits = v6 ? 128 : 32;
        if (value.signum() < 0 || value.bitLength() > bits) {
            throw new IllegalArgumentException("value does not fit an " + (v6 ? "IPv6" : "IPv4") + " address: " + value);
        }
        return new IpAddress(v6, value.shiftRight(64).longValue(), value.longValue());
    }

    /** Converts from the JDK type. */
    public static IpAddress of(InetAddress address) {
        byte[] b = address.getAddress();
        return fromBytes(b);
    }

    /** Builds an address from 4 or 16 network-order bytes. */
    public static IpAddress fromBytes(byte[] b) {
        if (b.length == 4) {
            return ofV4(((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL));
        }
        if (b.length == 16) {
            long hi = 0;
            long lo = 0;
            for (int i = 0; i < 8; i++) {
                hi = (hi << 8) | (b[i] & 0xFF);
                lo = (lo << 8) | (b[i + 8] & 0xFF);
            }
            return ofV6(hi, lo);
        }
        throw new IllegalArgumentException("an address has 4 or 16 bytes, not " + b.length);
    }

    /** 32 for IPv4, 128 for IPv6. */
    public int bits() {
        return v6 ? 128 : 32;
    }

    /** The unsigned numeric value. */
    public BigInteger toBigInteger() {
        BigInteger hi = new BigInteger(Long.toUnsignedString(high));
        return hi.multiply(TWO_64).add(new BigInteger(Long.toUnsignedString(low)));
    }

    /** Network-order bytes: 4 for IPv4, 16 for IPv6. */
    public byte[] toBytes() {
        if (!v6) {
            return new byte[] {(byte) (low >>> 24), (byte) (low >>> 16), (byte) (low >>> 8), (byte) low};
        }
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (high >>> (56 - 8 * i));
            b[i + 8] = (byte) (low >>> (56 - 8 * i));
        }
        return b;
    }

    /** Converts to the JDK type (no name lookup happens). */
    public InetAddress toInetAddress() {
        try {
            return InetAddress.getByAddress(toBytes());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * This address plus an unsigned 128-bit offset.
     *
     * @throws ArithmeticException when the result leaves the address family's space
     */
    public IpAddress plus(BigInteger offset) {
        return fromBigIntegerOrOverflow(toBigInteger().add(offset));
    }

    /**
     * This address plus a signed offset.
     *
     * @throws ArithmeticException when the result leaves the address family's space
     */
    public IpAddress plus(long offset) {
        if (offset == 0) {
            return this;
        }
        long newLow = low + offset;
        long newHigh = high;
        if (offset > 0 && Long.compareUnsigned(newLow, low) < 0) {
            newHigh++;
            if (newHigh == 0) {
                throw new ArithmeticException("address overflow: " + this + " + " + offset);
            }
        } else if (offset < 0 && Long.compareUnsigned(newLow, low) > 0) {
            if (newHigh == 0) {
                throw new ArithmeticException("address underflow: " + this + " - " + -offset);
            }
            newHigh--;
        }
        if (!v6 && (newLow >>> 32) != 0) {
            throw new ArithmeticException("IPv4 address out of range: " + this + " + " + offset);
        }
        return new IpAddress(v6, newHigh, newLow);
    }

    /** The next address; throws {@link ArithmeticException} past the family's last address. */
    public IpAddress next() {
        return plus(1);
    }

    /** The previous address; throws {@link ArithmeticException} before the family's first address. */
    public IpAddress previous() {
        return plus(-1);
    }

    /**
     * The unsigned distance {@code this - base}, which must be non-negative. This is the key that the
     * Kubernetes store writes for an allocation (upstream's decimal offset).
     *
     * @throws IllegalArgumentException when the families differ or {@code base} is above this address
     */
    public BigInteger offsetFrom(IpAddress base) {
        if (base.v6 != v6) {
            throw new IllegalArgumentException("families differ: " + base + " and " + this);
        }
        BigInteger d = toBigInteger().subtract(base.toBigInteger());
        if (d.signum() < 0) {
            throw new IllegalArgumentException(this + " is below " + base);
        }
        return d;
    }

    @Override
    public int compareTo(IpAddress o) {
        if (v6 != o.v6) {
            return v6 ? 1 : -1;
        }
        int c = Long.compareUnsigned(high, o.high);
        return c != 0 ? c : Long.compareUnsigned(low, o.low);
    }

    @Override
    public String toString() {
        return AddressText.format(this);
    }

    private IpAddress fromBigIntegerOrOverflow(BigInteger value) {
        try {
            return fromBigInteger(v6, value);
        } catch (IllegalArgumentException e) {
            throw new ArithmeticException(e.getMessage());
        }
    }
}
