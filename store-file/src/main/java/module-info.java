/** Node-local store: a directory guarded by a file lock. */
module dev.whereabouts.store.file {
    requires dev.whereabouts.ipam.api;
}
