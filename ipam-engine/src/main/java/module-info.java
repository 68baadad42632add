/** Configuration, allocation and CNI results, once for every store. */
module dev.whereabouts.ipam.engine {
    requires dev.whereabouts.ipam.api;
}
