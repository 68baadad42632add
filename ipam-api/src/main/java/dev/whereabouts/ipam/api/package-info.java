/**
 * Immutable values shared by the engine and every store: addresses, ranges, owners, pools, changes
 * and the CNI-coded exceptions.
 *
 * <p>Every type here is a record or an exception. Nothing in this package does I/O.
 */
package dev.whereabouts.ipam.api;
