package dev.whereabouts.cni.launcher;

/** Real bridge/macvlan plugins with the node daemon running. */
class RealPluginsDaemonIT extends RealPluginsChecks {
    @Override
    boolean withDaemon() {
        return true;
    }
}
