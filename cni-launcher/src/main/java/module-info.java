/** The CNI plugin: per-call client, node daemon, in-process fallback. */
module dev.whereabouts.cni.launcher {
    requires dev.whereabouts.ipam.api;
}
