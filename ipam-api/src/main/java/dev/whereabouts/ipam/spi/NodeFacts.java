package dev.whereabouts.ipam.spi;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a Node object says about its address ranges, as text: the store only fetches, the engine
 * parses (one parser for every store, and for both annotation formats).
 *
 * @param name the node's name
 * @param podCidrs {@code spec.podCIDRs} (or the single {@code spec.podCIDR}) as written
 * @param annotation the value of the annotation that was asked for, when the node carries it
 * @since 0.3
 */
public record NodeFacts(String name, List<String> podCidrs, Optional<String> annotation) {

    /** Copies the list. */
    public NodeFacts {
        Objects.requireNonNull(name, "name");
        podCidrs = List.copyOf(podCidrs);
        Objects.requireNonNull(annotation, "annotation");
    }
}
