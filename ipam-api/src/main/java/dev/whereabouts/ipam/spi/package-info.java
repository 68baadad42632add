/**
 * The store service-provider interface. A store author implements {@link
 * dev.whereabouts.ipam.spi.StoreProvider} and {@link dev.whereabouts.ipam.spi.IpamStore}, registers
 * the provider, and runs the {@code store-tck} contract against it.
 */
package dev.whereabouts.ipam.spi;
