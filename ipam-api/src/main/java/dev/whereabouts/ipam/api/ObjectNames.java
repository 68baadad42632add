package dev.whereabouts.ipam.api;

/** Upstream whereabouts' text normalization for object names. */
final class ObjectNames {

    private ObjectNames() {}

    /**
     * A trailing {@code :} gets a {@code 0} so the name does not end in {@code -}; then every
     * {@code :} and {@code /} becomes {@code -}. Names must match upstream byte for byte, or a
     * swapped-in binary would not find the pools that upstream created.
     */
    static String normalize(String text) {
        String t = text.endsWith(":") ? text + "0" : text;
        return t.replace(':', '-').replace('/', '-');
    }
}
