package dev.whereabouts.store.kubernetes;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/** The three upstream custom resource kinds, addressed without generated model classes. */
final class Kinds {

    static final String GROUP = "whereabouts.cni.cncf.io";
    static final String VERSION = "v1alpha1";
    static final String API_VERSION = GROUP + "/" + VERSION;

    static final ResourceDefinitionContext IP_POOL = context("IPPool", "ippools");
    static final ResourceDefinitionContext RESERVATION =
            context("OverlappingRangeIPReservation", "overlappingrangeipreservations");
    static final ResourceDefinitionContext NODE_SLICE_POOL = context("NodeSlicePool", "nodeslicepools");

    /**
     * Annotations we add so that {@code pools()} and {@code reservations()} can split an object name
     * back into its parts; upstream ignores them, and objects without them are still understood.
     */
    static final String NODE_ANNOTATION = "whereabouts.dev/node-name";
    static final String NETWORK_ANNOTATION = "whereabouts.dev/network-name";

    private Kinds() {}

    private static ResourceDefinitionContext context(String kind, String plural) {
        return new ResourceDefinitionContext.Builder()
                .withGroup(GROUP)
                .withVersion(VERSION)
                .withKind(kind)
                .withPlural(plural)
                .withNamespaced(true)
                .build();
    }
}
