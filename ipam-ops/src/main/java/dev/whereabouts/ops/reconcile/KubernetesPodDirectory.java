package dev.whereabouts.ops.reconcile;

import dev.whereabouts.ipam.api.IpAddress;
import dev.whereabouts.ipam.api.StoreUnavailableException;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Pods from the Kubernetes API through fabric8. Only namespaces that hold a referenced pod are asked:
 * a few pods are fetched one by one, more are listed page by page, so the reconciler never holds every
 * pod of the cluster in memory (upstream #386). Needs {@code get} and {@code list} on {@code pods}.
 *
 * @since 0.1
 */
public final class KubernetesPodDirectory implements PodDirectory {

    /** Up to this many pods of one namespace are fetched with GET; more are listed. */
    static final int GET_LIMIT = 10;
    static final long PAGE = 500;

    private final KubernetesClient client;

    /** Looks pods up with {@code client}; the caller owns and closes the client. */
    public KubernetesPodDirectory(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Optional<PodState> find(String podRef) {
        String[] nsName = split(podRef);
        if (nsName == null) {
            return Optional.empty();
        }
        try {
            Pod pod = client.pods().inNamespace(nsName[0]).withName(nsName[1]).get();
            return Optional.ofNullable(pod).map(KubernetesPodDirectory::state);
        } catch (KubernetesClientException e) {
            throw new StoreUnavailableException("reading pod " + podRef + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, PodState> findAll(Collection<String> podRefs) {
        Map<String, Set<String>> byNamespace = new TreeMap<>();
        for (String ref : podRefs) {
            String[] nsName = split(ref);
            if (nsName != null) {
                byNamespace.computeIfAbsent(nsName[0], k -> new TreeSet<>()).add(nsName[1]);
            }
        }
        Map<String, PodState> out = new HashMap<>();
        for (Map.Entry<String, Set<String>> e : byNamespace.entrySet()) {
            if (e.getValue().size() <= GET_LIMIT) {
                for (String name : e.getValue()) {
                    find(e.getKey() + "/" + name).ifPresent(p -> out.put(p.podRef(), p));
                }
            } else {
                listNamespace(e.getKey(), e.getValue(), out);
            }
        }
        return out;
    }

    private void listNamespace(String namespace, Set<String> names, Map<String, PodState> out) {
        String cont = null;
        try {
            do {
                PodList page = client.pods().inNamespace(namespace).list(
                        new io.fabric8.kubernetes.api.model.ListOptionsBuilder().withLimit(PAGE).withContinue(cont).build());
                for (Pod pod : page.getItems()) {
                    if (names.contains(pod.getMetadata().getName())) {
                        PodState s = state(pod);
                        out.put(s.podRef(), s);
                    }
                }
                cont = page.getMetadata() == null ? null : page.getMetadata().getContinue();
            } while (cont != null && !cont.isEmpty());
        } catch (KubernetesClientException e) {
            throw new StoreUnavailableException("listing pods in " + namespace + ": " + e.getMessage(), e);
        }
    }

    static PodState state(Pod pod) {
        var meta = pod.getMetadata();
        String ref = meta.getNamespace() + "/" + meta.getName();
        Map<String, String> annotations = meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
        Optional<NetworkStatus.Ips> ips = NetworkStatus.parse(annotations.get(NetworkStatus.ANNOTATION));
        String phase = pod.getStatus() == null || pod.getStatus().getPhase() == null ? "Pending" : pod.getStatus().getPhase();
        List<PodCondition> conditions = pod.getStatus() == null || pod.getStatus().getConditions() == null
                ? List.of() : pod.getStatus().getConditions();
        boolean evicted = conditions.stream().anyMatch(c -> "DisruptionTarget".equals(c.getType())
                && "True".equals(c.getStatus()) && "DeletionByTaintManager".equals(c.getReason()));
        return new PodState(ref, meta.getUid() == null ? "" : meta.getUid(), parseTime(meta.getCreationTimestamp()),
                phase, meta.getDeletionTimestamp() != null, evicted,
                ips.map(NetworkStatus.Ips::secondary), ips.map(NetworkStatus.Ips::primary).orElse(Set.<IpAddress>of()));
    }

    /** A missing or odd timestamp counts as "just created", which keeps the pod's addresses. */
    private static Instant parseTime(String text) {
        if (text == null || text.isBlank()) {
            return Instant.MAX;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (RuntimeException e) {
            return Instant.MAX;
        }
    }

    private static String[] split(String podRef) {
        int slash = podRef.indexOf('/');
        if (slash <= 0 || slash == podRef.length() - 1) {
            return null;
        }
        return new String[] {podRef.substring(0, slash), podRef.substring(slash + 1)};
    }
}
