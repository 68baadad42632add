package dev.whereabouts.ops.reconcile;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Pods as the API server would hold them, for the mock server. */
final class Pods {

    private Pods() {}

    /** A network-status annotation: the default network plus one secondary entry per address. */
    static String networkStatus(String defaultIp, String... secondaryIps) {
        List<String> entries = new ArrayList<>();
        entries.add("{\"name\":\"cluster\",\"interface\":\"eth0\",\"ips\":[\"" + defaultIp + "\"],\"default\":true}");
        int i = 1;
        for (String ip : secondaryIps) {
            entries.add("{\"name\":\"default/macvlan\",\"interface\":\"ens" + i++ + "\",\"ips\":[\"" + ip
                    + "\"],\"mac\":\"0a:58:0a:00:00:0" + i + "\"}");
        }
        return "[" + String.join(",", entries) + "]";
    }

    static Pod pod(String ns, String name, String uid, String phase, Instant created, String networkStatus) {
        Map<String, String> annotations = new HashMap<>();
        if (networkStatus != null) {
            annotations.put(NetworkStatus.ANNOTATION, networkStatus);
        }
        return new PodBuilder()
                .withMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(name).withUid(uid)
                        .withCreationTimestamp(created.toString()).withAnnotations(annotations).build())
                .withNewSpec().withNodeName("node-a").addNewContainer().withName("c").withImage("busybox").endContainer().endSpec()
                .withNewStatus().withPhase(phase).endStatus()
                .build();
    }

    static Pod terminating(Pod pod, Instant since, boolean taintManager) {
        pod.getMetadata().setDeletionTimestamp(since.toString());
        pod.getMetadata().setFinalizers(List.of("example.com/hold"));
        if (taintManager) {
            pod.getStatus().setConditions(List.of(new PodConditionBuilder().withType("DisruptionTarget")
                    .withStatus("True").withReason("DeletionByTaintManager").build()));
        }
        return pod;
    }
}
