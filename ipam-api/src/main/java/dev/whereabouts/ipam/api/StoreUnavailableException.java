package dev.whereabouts.ipam.api;

/**
 * The store cannot be reached or did not answer in time (CNI code 11, "try again later"). The
 * runtime may retry; STATUS reports it as code 50.
 *
 * @since 0.1
 */
public class StoreUnavailableException extends IpamException {

    /** Says which store and what failed. */
    public StoreUnavailableException(String details, Throwable cause) {
        super(TRY_AGAIN_LATER, "datastore unavailable", details, cause);
    }
}
