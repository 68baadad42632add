package dev.whereabouts.ipam.engine.config;

import dev.whereabouts.ipam.api.Cidr;
import dev.whereabouts.ipam.api.IpAddress;
import java.util.Optional;

/**
 * A static address from {@code addresses} or from {@code IP=} in {@code CNI_ARGS}, returned as is.
 *
 * @param address host address with prefix, e.g. {@code 10.10.0.1/24}
 * @param gateway its gateway, if any
 */
public record StaticAddress(Cidr address, Optional<IpAddress> gateway) {}
