/**
 * The engine's entry point: {@link dev.whereabouts.ipam.engine.Ipam} loads an
 * {@link dev.whereabouts.ipam.engine.IpamConfig} and runs CNI commands against the configured store;
 * {@link dev.whereabouts.ipam.engine.CniResult} prints an ADD result in any CNI version.
 */
package dev.whereabouts.ipam.engine;
