/**
 * Node-local store: a directory of small text files guarded by a file lock, the successor of
 * host-local's disk backend. Provider name {@code file}.
 */
module dev.whereabouts.store.file {
    requires dev.whereabouts.ipam.api;
    requires org.slf4j;

    provides dev.whereabouts.ipam.spi.StoreProvider with dev.whereabouts.store.file.FileStoreProvider;
}
