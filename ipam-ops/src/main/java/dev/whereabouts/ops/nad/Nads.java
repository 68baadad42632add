package dev.whereabouts.ops.nad;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;

/**
 * Multus' {@code NetworkAttachmentDefinition} ({@code k8s.cni.cncf.io/v1}), read as a generic
 * resource: the controllers and {@code ctl migration-check} need only {@code spec.config}, and a generated model would pin a Multus
 * version for one string field.
 */
public final class Nads {

    /** The API group, for RBAC. */
    public static final String GROUP = "k8s.cni.cncf.io";

    /** The resource, for RBAC. */
    public static final String PLURAL = "network-attachment-definitions";

    static final ResourceDefinitionContext CONTEXT = new ResourceDefinitionContext.Builder()
            .withGroup(GROUP).withVersion("v1").withKind("NetworkAttachmentDefinition").withPlural(PLURAL)
            .withNamespaced(true).build();

    private Nads() {}

    /** NADs through {@code client}. */
    public static MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> of(KubernetesClient client) {
        return client.genericKubernetesResources(CONTEXT);
    }
}
