package dev.whereabouts.controllers.pods;

import dev.whereabouts.ipam.api.IpAddress;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events on the deleted pod, with upstream's reasons and texts, so that
 * {@code kubectl get events} shows the same lines after a migration. An event that cannot be written
 * is logged and otherwise ignored: the release itself already happened.
 */
final class ReleaseEvents {

    static final String RELEASED = "IPAddressGarbageCollected";
    static final String FAILED = "IPAddressGarbageCollectionFailed";
    static final String COMPONENT = "whereabouts-pod-controller";

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseEvents.class);

    private final KubernetesClient client;
    private final String node;

    ReleaseEvents(KubernetesClient client, String node) {
        this.client = client;
        this.node = node;
    }

    void released(DeletedPod pod, IpAddress ip, String nadRef) {
        emit(pod, "Normal", RELEASED, "successful cleanup of IP address [" + ip + "] from network " + nadRef);
    }

    void failed(DeletedPod pod) {
        emit(pod, "Warning", FAILED, "failed to garbage collect addresses for pod " + pod.podRef());
    }

    private void emit(DeletedPod pod, String type, String reason, String message) {
        String now = Instant.now().toString();
        // Named as kubectl and client-go name events: the object's name, a dot, a unique suffix.
        String suffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        Event event = new EventBuilder()
                .withNewMetadata().withNamespace(pod.namespace()).withName(pod.name() + "." + suffix).endMetadata()
                .withNewInvolvedObject().withApiVersion("v1").withKind("Pod").withNamespace(pod.namespace())
                .withName(pod.name()).withUid(pod.uid()).endInvolvedObject()
                .withType(type).withReason(reason).withMessage(message)
                .withNewSource().withComponent(COMPONENT).withHost(node).endSource()
                .withReportingComponent(COMPONENT).withReportingInstance(node)
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .build();
        try {
            client.v1().events().inNamespace(pod.namespace()).resource(event).create();
        } catch (RuntimeException e) {
            LOG.warn("event {} on pod {} not recorded: {}", reason, pod.podRef(), e.toString());
        }
    }
}
