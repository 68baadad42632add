package dev.whereabouts.ipam.api;

/**
 * A failure that the plugin reports to the container runtime as a CNI error: {@code code},
 * {@code msg} and {@code details} map one to one onto the error JSON.
 *
 * <p>Only the launcher turns these into output. Stores throw {@link StoreUnavailableException} for
 * faults worth a retry and {@link InvalidConfigException} for a bad store section.
 *
 * @since 0.1
 */
public class IpamException extends RuntimeException {

    /** CNI: incompatible CNI version. */
    public static final int INCOMPATIBLE_VERSION = 1;
    /** CNI: unsupported field in the network configuration. */
    public static final int UNSUPPORTED_FIELD = 2;
    /** CNI: container unknown or does not exist. */
    public static final int UNKNOWN_CONTAINER = 3;
    /** CNI: invalid or missing environment variables. */
    public static final int INVALID_ENVIRONMENT = 4;
    /** CNI: I/O failure. */
    public static final int IO_FAILURE = 5;
    /** CNI: failed to decode content. */
    public static final int DECODING_FAILURE = 6;
    /** CNI: invalid network configuration. */
    public static final int INVALID_CONFIG = 7;
    /** CNI: try again later. */
    public static final int TRY_AGAIN_LATER = 11;
    /** CNI STATUS: the plugin is not available. */
    public static final int PLUGIN_NOT_AVAILABLE = 50;
    /** Plugin-specific: no free address left in a range. */
    public static final int POOL_EXHAUSTED = 100;
    /** Go library's internal error, kept for parity where upstream returned plain errors. */
    public static final int INTERNAL = 999;

    private final int code;
    private final String details;

    /** An error with a CNI code, a short message and optional details ({@code ""} for none). */
    public IpamException(int code, String msg, String details) {
        super(msg);
        this.code = code;
        this.details = details == null ? "" : details;
    }

    /** The same, keeping the cause for logs. */
    public IpamException(int code, String msg, String details, Throwable cause) {
        super(msg, cause);
        this.code = code;
        this.details = details == null ? "" : details;
    }

    /** The CNI error code. */
    public int code() {
        return code;
    }

    /** The short message ({@code msg}). */
    public String msg() {
        return getMessage();
    }

    /** The details ({@code ""} when none). */
    public String details() {
        return details;
    }
}
