package dev.whereabouts.cni.launcher;

import java.util.Map;

/** The protocol with a node daemon reached by the JVM client over the UNIX socket. */
class ProtocolDaemonJvmClientIT extends ProtocolChecks {
    @Override
    boolean withDaemon() {
        return true;
    }

    @Override
    Map<String, String> extraEnv() {
        return Map.of("WHEREABOUTS_CLIENT", "jvm");
    }
}
