package dev.whereabouts.ipam.engine;

import dev.whereabouts.ipam.api.IpamException;

/**
 * What a DEL did in the store. A runtime never repeats a DEL that succeeded, so a release the store
 * could not take is not dropped: it is queued in the node journal and retried until it lands.
 */
public sealed interface Release {

    /** Everything the attachment held was released (or it held nothing). */
    record Done() implements Release {}

    /**
     * The store failed; the release is recorded as pending and will be retried by the node daemon,
     * the next in-process call, or CNI GC.
     *
     * @param cause what the store answered
     */
    record Queued(IpamException cause) implements Release {}

    /**
     * The store failed and the node journal could not record the release either (an unwritable
     * {@code attachments_dir}): only the reconciler or an operator can give the address back now.
     *
     * @param cause what the store answered
     * @param journal why the journal could not record it
     */
    record Unrecorded(IpamException cause, IpamException journal) implements Release {}
}
