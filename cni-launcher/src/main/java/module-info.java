/**
 * The CNI plugin: the per-call client ({@code dev.whereabouts.cni.launcher.client}, java.base only),
 * the node daemon, the in-process fallback and the SLF4J backend that writes upstream's log format.
 */
module dev.whereabouts.cni.launcher {
    requires dev.whereabouts.ipam.api;
    requires transitive dev.whereabouts.ipam.engine;
    requires dev.whereabouts.ops;
    requires dev.whereabouts.controllers;
    requires dev.whereabouts.metrics;
    requires org.slf4j;
    requires tools.jackson.databind;
    requires jdk.net;
    requires java.logging;
    requires java.management; // the start-up warm-up waits for the JIT's queue (CompilerQueue)

    exports dev.whereabouts.cni.launcher;
    exports dev.whereabouts.cni.launcher.client;

    provides org.slf4j.spi.SLF4JServiceProvider with dev.whereabouts.cni.launcher.log.LauncherLogProvider;
}
