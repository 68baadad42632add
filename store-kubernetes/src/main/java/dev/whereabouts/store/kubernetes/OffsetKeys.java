package dev.whereabouts.store.kubernetes;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import java.math.BigInteger;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys of {@code spec.allocations}: the decimal offset of an address from the base address, which
 * is the IP text of {@code spec.range} as written (not re-masked), as upstream defines it.
 *
 * <p>We use the full 128-bit offset. Upstream reads keys as signed 64-bit numbers and so loses any
 * offset of 2^63 or more; we read those, and also negative keys, which we take as the unsigned 64-bit
 * two's complement they stand for (or, when that lands outside the range, as a plain signed offset,
 * which is how we write an address below a hand-made base).
 */
final class OffsetKeys {

    private static final Logger LOG = LoggerFactory.getLogger(OffsetKeys.class);
    private static final BigInteger TWO_63 = BigInteger.ONE.shiftLeft(63);
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    private OffsetKeys() {}

    /** The key for {@code ip} in a pool whose {@code spec.range} is {@code range}. */
    static String encode(Cidr range, IpAddress ip) {
        IpAddress base = range.address();
        if (ip.compareTo(base) < 0) {
            return "-" + base.offsetFrom(ip);
        }
        BigInteger offset = ip.offsetFrom(base);
        if (offset.compareTo(TWO_63) >= 0) {
            LOG.debug("allocation key {} for {} is beyond what upstream whereabouts can read", offset, ip);
        }
        return offset.toString();
    }

    /** The address a key stands for, or empty (logged) when the key is not one. */
    static Optional<IpAddress> decode(Cidr range, String key) {
        BigInteger k;
        try {
            if (key.isEmpty() || key.length() > 41 || !key.matches("-?\\d+")) {
                throw new NumberFormatException(key);
            }
            k = new BigInteger(key);
        } catch (NumberFormatException e) {
            LOG.warn("ignoring allocation key '{}' in pool {}: not a decimal offset", key, range);
            return Optional.empty();
        }
        IpAddress base = range.address();
        Cidr network = range.canonical();
        if (k.signum() < 0) {
            Optional<IpAddress> twos = add(base, k.add(TWO_64)).filter(network::contains);
            Optional<IpAddress> ip = twos.isPresent() ? twos : add(base, k);
            if (ip.isEmpty()) {
                LOG.warn("ignoring allocation key '{}' in pool {}: outside the address family", key, range);
            }
            return ip;
        }
        Optional<IpAddress> ip = add(base, k);
        if (ip.isEmpty()) {
            LOG.warn("ignoring allocation key '{}' in pool {}: outside the address family", key, range);
        }
        return ip;
    }

    private static Optional<IpAddress> add(IpAddress base, BigInteger offset) {
        BigInteger v = base.toBigInteger().add(offset);
        if (v.signum() < 0 || v.bitLength() > base.bits()) {
            return Optional.empty();
        }
        return Optional.of(IpAddress.fromBigInteger(base.v6(), v));
    }
}
