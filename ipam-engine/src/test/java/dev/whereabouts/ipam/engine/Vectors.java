package dev.whereabouts.ipam.engine;

import dev.whereabouts.ipam.engine.config.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** Reads the upstream test vectors copied into {@code src/test/resources/vectors}. */
final class Vectors {

    private Vectors() {}

    static Map<String, Object> load(String file) {
        try (InputStream in = Vectors.class.getResourceAsStream("/vectors/" + file)) {
            return Json.parseObject(in.readAllBytes(), file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> cases(String file, String key) {
        return (List<Map<String, Object>>) load(file).getOrDefault(key, List.of());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> m, String key) {
        return (Map<String, Object>) m.get(key);
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? List.of() : (List<Object>) v;
    }
}
