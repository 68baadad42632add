package dev.whereabouts.ipam.engine.config;

import dev.whereabouts.ipam.api.InvalidConfigException;
import dev.whereabouts.ipam.spi.ConfigValues;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Typed, case-insensitive access to a JSON object, the way Go's decoder matches struct fields:
 * the exact key wins, otherwise any key equal ignoring case. Every type error names the field.
 */
final class Fields {

    private final Map<String, Object> map;
    private final String prefix;

    Fields(Map<String, Object> map, String prefix) {
        this.map = map;
        this.prefix = prefix;
    }

    Map<String, Object> raw() {
        return map;
    }

    String path(String key) {
        return prefix.isEmpty() ? key : prefix + "." + key;
    }

    static Optional<Object> lookup(Map<String, Object> map, String key) {
        Object exact = map.get(key);
        if (exact != null) {
            return Optional.of(exact);
        }
        for (Map.Entry<String, Object> e : map.entrySet()) {
            if (e.getKey().equalsIgnoreCase(key) && e.getValue() != null) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }

    Optional<Object> value(String key) {
        return lookup(map, key);
    }

    /** A string; empty counts as absent ({@link ConfigValues#string}). */
    Optional<String> string(String key) {
        return value(key).map(v -> ConfigValues.string(path(key), v));
    }

    Optional<Long> number(String key) {
        return value(key).map(v -> ConfigValues.wholeNumber(path(key), v));
    }

    Optional<Boolean> bool(String key) {
        return value(key).map(v -> ConfigValues.bool(path(key), v));
    }

    List<Object> list(String key) {
        Optional<Object> v = value(key);
        if (v.isEmpty()) {
            return List.of();
        }
        if (v.get() instanceof List<?> l) {
            // JSON lists may hold null; each reader refuses it with the field's name.
            return java.util.Collections.unmodifiableList(new java.util.ArrayList<Object>(l));
        }
        throw new InvalidConfigException(path(key), String.valueOf(v.get()), "must be a list");
    }

    List<String> strings(String key) {
        return list(key).stream().map(o -> {
            if (o instanceof String s) {
                return s;
            }
            throw new InvalidConfigException(path(key), String.valueOf(o), "must be a list of strings");
        }).toList();
    }

    @SuppressWarnings("unchecked")
    Optional<Fields> object(String key) {
        return value(key).map(v -> {
            if (v instanceof Map<?, ?> m) {
                return new Fields((Map<String, Object>) m, path(key));
            }
            throw new InvalidConfigException(path(key), String.valueOf(v), "must be an object");
        });
    }

    @SuppressWarnings("unchecked")
    static Fields of(Object element, String path) {
        if (element instanceof Map<?, ?> m) {
            return new Fields((Map<String, Object>) m, path);
        }
        throw new InvalidConfigException(path, String.valueOf(element), "must be an object");
    }
}
