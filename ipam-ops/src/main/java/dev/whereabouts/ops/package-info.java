/**
 * Entry points the launcher wires into the {@code whereabouts} binary, and the list of API
 * permissions the code needs ({@link dev.whereabouts.ops.RequiredPermissions}).
 */
package dev.whereabouts.ops;
