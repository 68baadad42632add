package dev.whereabouts.cni.launcher;

/** Real bridge/macvlan plugins with no daemon: the plugin runs the engine itself. */
class RealPluginsFallbackIT extends RealPluginsChecks {
    @Override
    boolean withDaemon() {
        return false;
    }
}
