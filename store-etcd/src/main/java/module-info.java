/** etcd v3 store with transactions, TLS and auth. */
module dev.whereabouts.store.etcd {
    requires dev.whereabouts.ipam.api;
}
