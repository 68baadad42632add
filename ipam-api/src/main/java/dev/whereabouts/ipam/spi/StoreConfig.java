package dev.whereabouts.ipam.spi;

import dev.whereabouts.ipam.api.InvalidConfigException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code ipam} section a store was selected by, after the flat file ({@code whereabouts.conf})
 * was merged in, as plain JSON values: {@link Map}, {@link List}, {@link String}, {@link Number},
 * {@link Boolean} or {@code null}. The API carries no JSON library, so stores read their fields
 * through these accessors.
 *
 * <p>Keys match case-insensitively, as upstream's Go decoder does ({@code "Etcd_Host"} finds
 * {@code etcd_host}).
 *
 * @param section the whole {@code ipam} object
 * @since 0.1
 */
public record StoreConfig(Map<String, Object> section) {

    /** Keeps the section as given; it must not be modified afterwards. */
    public StoreConfig {
        Objects.requireNonNull(section, "section");
    }

    /** The raw value of a key, or empty. */
    public Optional<Object> value(String key) {
        Object exact = section.get(key);
        if (exact != null) {
            return Optional.of(exact);
        }
        for (Map.Entry<String, Object> e : section.entrySet()) {
            if (e.getKey().equalsIgnoreCase(key) && e.getValue() != null) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }

    /**
     * A string field, empty when absent or empty ({@link ConfigValues#string}).
     *
     * @throws InvalidConfigException when the value is not a string
     */
    public Optional<String> string(String key) {
        return value(key).map(v -> ConfigValues.string(key, v));
    }

    /**
     * A field that is one string or a list of strings (e.g. {@code etcd_host}); a single string may
     * hold several comma-separated values.
     */
    public List<String> strings(String key) {
        Optional<Object> v = value(key);
        if (v.isEmpty()) {
            return List.of();
        }
        if (v.get() instanceof String s) {
            return java.util.Arrays.stream(s.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
        }
        if (v.get() instanceof List<?> list) {
            return list.stream().map(o -> {
                if (o instanceof String s) {
                    return s.strip();
                }
                throw new InvalidConfigException(key, String.valueOf(v.get()), "must be a list of strings");
            }).filter(x -> !x.isEmpty()).toList();
        }
        throw new InvalidConfigException(key, String.valueOf(v.get()), "must be a string or a list of strings");
    }

    /** A whole-number field ({@link ConfigValues#wholeNumber}). */
    public Optional<Long> number(String key) {
        return value(key).map(v -> ConfigValues.wholeNumber(key, v));
    }

    /** A boolean field ({@link ConfigValues#bool}). */
    public Optional<Boolean> bool(String key) {
        return value(key).map(v -> ConfigValues.bool(key, v));
    }

    /**
     * A nested object such as {@code kubernetes} or {@code file}; an empty config when absent.
     *
     * @throws InvalidConfigException when the value is not an object
     */
    @SuppressWarnings("unchecked")
    public StoreConfig section(String key) {
        Optional<Object> v = value(key);
        if (v.isEmpty()) {
            return new StoreConfig(Map.of());
        }
        if (v.get() instanceof Map<?, ?> m) {
            return new StoreConfig((Map<String, Object>) m);
        }
        throw new InvalidConfigException(key, String.valueOf(v.get()), "must be an object");
    }
}
