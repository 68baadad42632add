package dev.whereabouts.cni.launcher;

/** The bad-input corpus against a node daemon, reached by the shell client over loopback TCP. */
class BadInputDaemonIT extends BadInputChecks {
    @Override
    boolean withDaemon() {
        return true;
    }
}
