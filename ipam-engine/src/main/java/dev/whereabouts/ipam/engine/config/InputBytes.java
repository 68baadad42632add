package dev.whereabouts.ipam.engine.config;

import java.util.Arrays;

/** A private copy of input bytes with value equality, to key caches by exactly what a caller sent. */
record InputBytes(byte[] bytes, int hash) {

    static InputBytes copyOf(byte[] bytes) {
        byte[] copy = bytes.clone();
        return new InputBytes(copy, Arrays.hashCode(copy));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputBytes other && hash == other.hash && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return bytes.length + " bytes";
    }
}
