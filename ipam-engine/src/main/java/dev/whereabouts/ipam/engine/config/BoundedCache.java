package dev.whereabouts.ipam.engine.config;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small thread-safe memo for a daemon that serves the same few inputs over and over (one entry
 * per network configuration of the node). It forgets everything when full rather than tracking
 * recency: inputs that vary without end (a bug, an attack) then cost a fresh computation each, never
 * unbounded memory.
 */
final class BoundedCache<K, V> {

    private final int capacity;
    private final Map<K, V> entries = new ConcurrentHashMap<>();

    BoundedCache(int capacity) {
        this.capacity = capacity;
    }

    /** The value remembered for {@code key}, or {@code null}. */
    V get(K key) {
        return entries.get(key);
    }

    /** Remembers {@code value}; callers only store values that a fresh computation would repeat. */
    void put(K key, V value) {
        if (entries.size() >= capacity) {
            entries.clear();
        }
        entries.put(key, value);
    }
}
