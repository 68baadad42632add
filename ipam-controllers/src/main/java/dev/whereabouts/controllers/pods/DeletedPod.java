package dev.whereabouts.controllers.pods;

import dev.whereabouts.ops.reconcile.NetworkStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;

/**
 * What the controller keeps of a deleted pod: enough to name it in events and to find its addresses.
 *
 * @param namespace the pod's namespace
 * @param name the pod's name
 * @param uid the pod's UID
 * @param node the node it ran on
 * @param networks its secondary attachments, from the network-status annotation
 */
record DeletedPod(String namespace, String name, String uid, String node, List<NetworkStatus.Entry> networks) {

    DeletedPod {
        networks = List.copyOf(networks);
    }

    static DeletedPod of(Pod pod) {
        var meta = pod.getMetadata();
        Map<String, String> annotations = meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
        List<NetworkStatus.Entry> secondary = NetworkStatus.entries(annotations.get(NetworkStatus.ANNOTATION)).stream()
                .filter(e -> !e.isDefault()).toList();
        String node = pod.getSpec() == null || pod.getSpec().getNodeName() == null ? "" : pod.getSpec().getNodeName();
        return new DeletedPod(meta.getNamespace(), meta.getName(), meta.getUid() == null ? "" : meta.getUid(), node,
                secondary);
    }

    String podRef() {
        return namespace + "/" + name;
    }

    /** The NAD an attachment names: Multus writes {@code namespace/name}, a bare name is the pod's namespace. */
    String nadRef(NetworkStatus.Entry e) {
        return e.name().contains("/") ? e.name() : namespace + "/" + e.name();
    }
}
