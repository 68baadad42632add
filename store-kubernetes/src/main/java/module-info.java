/** Kubernetes CRD store, wire-compatible with upstream whereabouts. */
module dev.whereabouts.store.kubernetes {
    requires dev.whereabouts.ipam.api;
}
