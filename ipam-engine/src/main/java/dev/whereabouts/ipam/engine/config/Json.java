package dev.whereabouts.ipam.engine.config;

import dev.whereabouts.ipam.api.IpamException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON mapper of the engine. Documents are read into plain {@link Map}s, lists, strings,
 * numbers and booleans, so that the API module stays free of any JSON library.
 */
public final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

    private Json() {}

    /**
     * Parses a JSON object.
     *
     * @param what names the document in the error ({@code LoadIPAMConfig}, a flat file path)
     * @throws IpamException code 6 when the bytes are not a JSON object
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(byte[] bytes, String what) {
        Object value;
        try {
            value = MAPPER.readValue(bytes, Object.class);
        } catch (JacksonException e) {
            throw new IpamException(IpamException.DECODING_FAILURE,
                    what + " - JSON Parsing Error: " + e.getOriginalMessage(),
                    "bytes: " + new String(bytes, StandardCharsets.UTF_8), e);
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new IpamException(IpamException.DECODING_FAILURE,
                    what + " - JSON Parsing Error: not a JSON object",
                    "bytes: " + new String(bytes, StandardCharsets.UTF_8));
        }
        return (Map<String, Object>) map;
    }

    /** Serializes plain values (maps keep their insertion order). */
    public static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    /** Serializes plain values as pretty-printed, UTF-8 bytes. */
    public static byte[] writeBytes(Object value) {
        return PRETTY.writeValueAsBytes(value);
    }
}
