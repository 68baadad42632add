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
        super(INVALID_CONFIG, "invalid configuration",
                "field '" + field + "' value '" + value + "': " + problem);
    }
}
