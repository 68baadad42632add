package dev.whereabouts.controllers.slices;

import dev.whereabouts.ipam.api.Cidr;
import java.util.Objects;

/**
 * One entry of a {@code NodeSlicePool}'s {@code status.allocations}: a slice and the node it is
 * assigned to.
 *
 * @param nodeName the node, {@code ""} for a free slice (upstream's encoding)
 * @param slice the slice
 */
record Slot(String nodeName, Cidr slice) {

    Slot {
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(slice, "slice");
    }

    boolean free() {
        return nodeName.isEmpty();
    }
}
