/**
 * The whereabouts IPAM API: immutable value types ({@code dev.whereabouts.ipam.api}) and the store
 * service-provider interface ({@code dev.whereabouts.ipam.spi}).
 *
 * <p>A store module {@code requires dev.whereabouts.ipam.api} and declares
 * {@code provides dev.whereabouts.ipam.spi.StoreProvider with ...}, plus the matching
 * {@code META-INF/services} file so that discovery also works on the class path.
 */
module dev.whereabouts.ipam.api {
    exports dev.whereabouts.ipam.api;
    exports dev.whereabouts.ipam.spi;

    uses dev.whereabouts.ipam.spi.StoreProvider;
}
