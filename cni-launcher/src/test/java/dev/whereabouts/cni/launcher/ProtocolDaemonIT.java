package dev.whereabouts.cni.launcher;

/** The protocol with a node daemon serving every call, reached by the shell client over loopback TCP. */
class ProtocolDaemonIT extends ProtocolChecks {
    @Override
    boolean withDaemon() {
        return true;
    }
}
