package dev.whereabouts.hammer;

import java.nio.file.Path;

/**
 * The store a hammer run beats on: set up before the workers start, torn down after the check.
 * Every backend runs on this machine only (a temp directory, an etcd on loopback, a mock API
 * server on loopback).
 */
interface HammerBackend extends AutoCloseable {

    /** The store's fields for the {@code ipam} section, as a JSON fragment without braces. */
    String ipamFields();

    @Override
    void close() throws Exception;

    static HammerBackend start(String store, Path workDir) throws Exception {
        return switch (store) {
            case "file" -> new FileHammerBackend(workDir.resolve("store"));
            case "etcd" -> EtcdHammerBackend.start(workDir.resolve("etcd"));
            case "kubernetes" -> KubernetesMockHammerBackend.start(workDir);
            default -> throw new IllegalArgumentException("unknown store '" + store + "' (file, etcd, kubernetes)");
        };
    }
}
