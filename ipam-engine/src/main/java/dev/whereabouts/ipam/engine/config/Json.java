package dev.whereabouts.ipam.engine.config;

import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.engine.CniSpec;
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
     * Parses the network configuration a runtime sent on stdin: a JSON object of at most
     * {@link CniSpec#MAX_CONFIG_BYTES}, UTF-8 without a byte-order mark and without NUL bytes (which a shell
     * in front of the plugin could not pass on faithfully).
     *
     * @throws IpamException code 6 otherwise
     */
    public static Map<String, Object> parseConfig(byte[] stdin) {
        if (stdin.length > CniSpec.MAX_CONFIG_BYTES) {
            throw new IpamException(IpamException.DECODING_FAILURE, CniSpec.OVERSIZE_MSG, "");
        }
        for (byte b : stdin) {
            if (b == 0) {
                throw new IpamException(IpamException.DECODING_FAILURE, CniSpec.NUL_MSG, "");
            }
        }
        if (stdin.length >= 3 && (stdin[0] & 0xFF) == 0xEF && (stdin[1] & 0xFF) == 0xBB && (stdin[2] & 0xFF) == 0xBF) {
            throw new IpamException(IpamException.DECODING_FAILURE,
                    "network configuration starts with a byte-order mark", "JSON text must not carry one");
        }
        return parseObject(stdin, "LoadIPAMConfig");
    }

    /**
     * Parses a JSON object. The error says where the text went wrong, never what it holds: the
     * document may be a file the caller should not be able to read through us.
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
            var at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new IpamException(IpamException.DECODING_FAILURE, what + " - JSON Parsing Error: not valid JSON" + where,
                    bytes.length + " bytes");
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new IpamException(IpamException.DECODING_FAILURE,
                    what + " - JSON Parsing Error: not a JSON object", bytes.length + " bytes");
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
