package dev.whereabouts.ipam.api;

/**
 * The network configuration is invalid (CNI code 7). The message names the field and the value, so
 * that an operator can fix it without reading code.
 *
 * @since 0.1
 */
public class InvalidConfigException extends IpamException {

    /** Names the offending field and value. */
    public InvalidConfigException(String field, String value, String problem) {
        this("invalid configuration", field, value, problem);
    }

    /**
     * With a message of its own (upstream's wording, where operators grep for it), still naming the
     * field and the value in the details.
     *
     * @param problem what is wrong with the value, or empty when the message says it already
     * @since 0.2
     */
    public InvalidConfigException(String message, String field, String value, String problem) {
        super(INVALID_CONFIG, message, "field '" + field + "' value '" + value + "'" + (problem.isEmpty() ? "" : ": " + problem));
    }
}
