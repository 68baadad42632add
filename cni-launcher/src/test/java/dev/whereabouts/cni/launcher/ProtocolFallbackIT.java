package dev.whereabouts.cni.launcher;

/** The protocol with no daemon: every call runs the engine in the plugin process. */
class ProtocolFallbackIT extends ProtocolChecks {
    @Override
    boolean withDaemon() {
        return false;
    }
}
