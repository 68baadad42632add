/** Store contract kit: the laws every IpamStore must satisfy, and an in-memory reference store. */
module dev.whereabouts.store.tck {
    requires dev.whereabouts.ipam.api;
}
