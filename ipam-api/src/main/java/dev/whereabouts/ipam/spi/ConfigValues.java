package dev.whereabouts.ipam.spi;

import dev.whereabouts.ipam.api.InvalidConfigException;
import java.math.BigDecimal;

/**
 * The typing rules of every configuration field, the engine's and the stores' alike, so that one
 * value means the same wherever it is read. They follow upstream's Go decoder: a number field takes
 * a JSON number (not a string of digits), a boolean field takes {@code true} or {@code false}, and
 * an empty string counts as absent (Go's zero value).
 *
 * @since 0.2
 */
public final class ConfigValues {

    private ConfigValues() {}

    /**
     * A string value, {@code null} when empty.
     *
     * @param field the field's name for the error, such as {@code file.data_dir}
     * @throws InvalidConfigException when the value is not a string
     */
    public static String string(String field, Object value) {
        if (value instanceof String s) {
            return s.isEmpty() ? null : s;
        }
        throw new InvalidConfigException(field, String.valueOf(value), "must be a string");
    }

    /**
     * A whole number within 64 bits ({@code 3.0} is 3; {@code 2.5}, {@code 1e300} and {@code "5"} are refused).
     *
     * @throws InvalidConfigException otherwise
     */
    public static long wholeNumber(String field, Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Number n) {
            try {
                return new BigDecimal(n.toString()).longValueExact();
            } catch (ArithmeticException | NumberFormatException e) {
                // falls through to the error below
            }
        }
        throw new InvalidConfigException(field, String.valueOf(value), "must be a whole number within 64 bits");
    }

    /**
     * {@code true} or {@code false}.
     *
     * @throws InvalidConfigException otherwise
     */
    public static boolean bool(String field, Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        throw new InvalidConfigException(field, String.valueOf(value), "must be true or false");
    }
}
