package dev.whereabouts.ops.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.whereabouts.ops.RequiredPermissions;
import dev.whereabouts.ops.RequiredPermissions.Permission;
import dev.whereabouts.ops.schedule.CronSchedule;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Loads every manifest under {@code deploy/} (CRDs included) with fabric8's parser and checks kinds,
 * API versions, the DaemonSet's wiring, and that RBAC grants every permission in
 * {@link RequiredPermissions}.
 */
class DeployManifestsTest {

    static final Path DEPLOY = Path.of("..", "deploy");
    static final String NS = "kube-system";
    static final Map<String, String> API_VERSIONS = Map.of(
            "ServiceAccount", "v1", "ConfigMap", "v1", "DaemonSet", "apps/v1", "Deployment", "apps/v1",
            "Role", "rbac.authorization.k8s.io/v1", "RoleBinding", "rbac.authorization.k8s.io/v1",
            "ClusterRole", "rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "rbac.authorization.k8s.io/v1",
            "CustomResourceDefinition", "apiextensions.k8s.io/v1");

    static final KubernetesSerialization YAML = new KubernetesSerialization();
    static final List<HasMetadata> objects = new ArrayList<>();
    static final Map<Path, List<HasMetadata>> byFile = new java.util.TreeMap<>();

    @BeforeAll
    static void load() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.walk(DEPLOY)) {
            files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no manifests under " + DEPLOY.toAbsolutePath());
        for (Path f : files) {
            if (f.getFileName().toString().equals("kustomization.yaml")) {
                continue;
            }
            List<HasMetadata> inFile = new ArrayList<>();
            for (String doc : Files.readString(f).split("(?m)^---\\s*$")) {
                if (doc.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#"))) {
                    continue;
                }
                HasMetadata o = YAML.unmarshal(doc);
                assertNotNull(o, f + " holds an unreadable document");
                inFile.add(o);
            }
            byFile.put(DEPLOY.relativize(f), inFile);
            objects.addAll(inFile);
        }
    }

    static <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void everyObjectIsAKnownKindWithTheRightApiVersion() {
        for (HasMetadata o : objects) {
            assertFalse(o instanceof GenericKubernetesResource, "not a typed object: " + o.getKind());
            assertEquals(API_VERSIONS.get(o.getKind()), o.getApiVersion(), o.getKind() + " " + o.getMetadata().getName());
            assertNotNull(o.getMetadata().getName());
        }
        Set<String> kinds = objects.stream().map(HasMetadata::getKind).collect(Collectors.toSet());
        assertTrue(kinds.containsAll(Set.of("ServiceAccount", "ConfigMap", "DaemonSet", "ClusterRole",
                "ClusterRoleBinding", "Role", "RoleBinding")), kinds.toString());
        for (HasMetadata o : objects) {
            boolean clusterScoped = Set.of("ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition").contains(o.getKind());
            assertEquals(clusterScoped ? null : NS, o.getMetadata().getNamespace(), o.getKind() + " namespace");
        }
    }

    @Test
    void theKustomizationListsEveryManifest() throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> k = YAML.unmarshal(Files.readString(DEPLOY.resolve("kustomization.yaml")), Map.class);
        assertEquals("kustomize.config.k8s.io/v1beta1", k.get("apiVersion"));
        assertEquals("Kustomization", k.get("kind"));
        @SuppressWarnings("unchecked")
        Set<String> listed = new TreeSet<>((List<String>) k.get("resources"));
        Set<String> present = byFile.keySet().stream().map(p -> p.toString().replace('\\', '/')).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(present, listed);
    }

    @Test
    void crdsAreTheWhereaboutsKindsTheCodeAsksPermissionsFor() {
        List<CustomResourceDefinition> crds = all(CustomResourceDefinition.class);
        Set<String> plurals = crds.stream().map(c -> c.getSpec().getNames().getPlural()).collect(Collectors.toSet());
        for (CustomResourceDefinition c : crds) {
            assertEquals(RequiredPermissions.WHEREABOUTS_GROUP, c.getSpec().getGroup());
            assertEquals("Namespaced", c.getSpec().getScope());
            assertTrue(c.getSpec().getVersions().stream().anyMatch(v -> v.getName().equals("v1alpha1") && v.getStorage()));
        }
        Set<String> needed = RequiredPermissions.ALL.stream()
                .filter(p -> p.apiGroup().equals(RequiredPermissions.WHEREABOUTS_GROUP))
                .map(Permission::resource).collect(Collectors.toSet());
        if (!crds.isEmpty()) {
            assertEquals(needed, plurals);
        }
    }

    /**
     * Grants beyond {@link RequiredPermissions} that are there on purpose: upstream's controllers watch
     * pools and reservations, and keep doing so until they are scaled down during a migration.
     */
    static final Set<String> KEPT_FOR_MIGRATION = Set.of(
            RequiredPermissions.WHEREABOUTS_GROUP + "/ippools watch",
            RequiredPermissions.WHEREABOUTS_GROUP + "/overlappingrangeipreservations watch");

    @Test
    void rbacGrantsNothingTheCodeDoesNotUse() {
        List<String> extra = new ArrayList<>();
        for (HasMetadata o : objects) {
            List<PolicyRule> rules = o instanceof Role r ? r.getRules() : o instanceof ClusterRole c ? c.getRules() : List.of();
            for (PolicyRule rule : rules) {
                for (String group : rule.getApiGroups()) {
                    for (String resource : rule.getResources()) {
                        for (String verb : rule.getVerbs()) {
                            boolean used = RequiredPermissions.ALL.stream().anyMatch(p -> p.apiGroup().equals(group)
                                    && p.resource().equals(resource) && p.verbs().contains(verb));
                            String grant = group + "/" + resource + " " + verb;
                            if (!used && !KEPT_FOR_MIGRATION.contains(grant)) {
                                extra.add(grant);
                            }
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), extra, "RBAC under deploy/ grants what no code uses");
    }

    @Test
    void rbacGrantsEveryPermissionTheCodeUsesAndNoWildcards() {
        List<PolicyRule> namespaced = new ArrayList<>();
        for (Role r : all(Role.class)) {
            boolean bound = all(RoleBinding.class).stream().anyMatch(b -> b.getRoleRef().getKind().equals("Role")
                    && b.getRoleRef().getName().equals(r.getMetadata().getName()) && bindsServiceAccount(b.getSubjects()));
            if (bound) {
                namespaced.addAll(r.getRules());
            }
        }
        List<PolicyRule> cluster = new ArrayList<>();
        for (ClusterRole r : all(ClusterRole.class)) {
            boolean bound = all(ClusterRoleBinding.class).stream().anyMatch(b -> b.getRoleRef().getKind().equals("ClusterRole")
                    && b.getRoleRef().getName().equals(r.getMetadata().getName()) && bindsServiceAccount(b.getSubjects()));
            if (bound) {
                cluster.addAll(r.getRules());
            }
        }
        List<String> missing = new ArrayList<>();
        for (Permission p : RequiredPermissions.ALL) {
            for (String verb : p.verbs()) {
                boolean ok = grants(cluster, p.apiGroup(), p.resource(), verb)
                        || (p.scope() == RequiredPermissions.Scope.NAMESPACE && grants(namespaced, p.apiGroup(), p.resource(), verb));
                if (!ok) {
                    missing.add(p.apiGroup() + "/" + p.resource() + " " + verb + " (" + p.usedBy() + ")");
                }
            }
        }
        assertEquals(List.of(), missing, "RBAC under deploy/ lacks permissions the code uses");
        for (PolicyRule r : Stream.concat(namespaced.stream(), cluster.stream()).toList()) {
            assertFalse(r.getVerbs().contains("*") || r.getResources().contains("*") || r.getApiGroups().contains("*"),
                    "wildcard rule " + r);
            assertFalse(r.getResources().contains("secrets"), "whereabouts needs no secrets");
        }
    }

    private static boolean bindsServiceAccount(List<io.fabric8.kubernetes.api.model.rbac.Subject> subjects) {
        return subjects.stream().anyMatch(s -> s.getKind().equals("ServiceAccount") && s.getName().equals("whereabouts")
                && NS.equals(s.getNamespace()));
    }

    private static boolean grants(List<PolicyRule> rules, String group, String resource, String verb) {
        return rules.stream().anyMatch(r -> r.getApiGroups().contains(group) && r.getResources().contains(resource)
                && r.getVerbs().contains(verb));
    }

    @Test
    void theDaemonSetInstallsThenRunsTheDaemonWithTheHostMounts() {
        List<DaemonSet> sets = all(DaemonSet.class);
        assertEquals(1, sets.size());
        PodSpec pod = sets.getFirst().getSpec().getTemplate().getSpec();
        assertTrue(pod.getHostNetwork());
        assertEquals("whereabouts", pod.getServiceAccountName());
        assertEquals(List.of("whereabouts"), all(ServiceAccount.class).stream().map(s -> s.getMetadata().getName()).toList());

        Container install = pod.getInitContainers().stream().filter(c -> c.getName().equals("install")).findFirst().orElseThrow();
        assertEquals("install", install.getCommand().getLast());
        Container daemon = pod.getContainers().stream().filter(c -> c.getName().equals("daemon")).findFirst().orElseThrow();
        assertEquals(List.of("daemon", "--socket", "/run/whereabouts/daemon.sock"),
                daemon.getCommand().subList(1, daemon.getCommand().size()));

        for (Container c : List.of(install, daemon)) {
            assertEquals("spec.nodeName", fieldRef(c, "NODENAME"), c.getName());
            assertEquals("metadata.namespace", fieldRef(c, "WHEREABOUTS_NAMESPACE"), c.getName());
            assertNotNull(c.getResources().getRequests().get("cpu"), c.getName());
            assertNotNull(c.getResources().getRequests().get("memory"), c.getName());
            assertNotNull(c.getResources().getLimits().get("memory"), c.getName());
            assertFalse(Boolean.TRUE.equals(c.getSecurityContext().getPrivileged()), c.getName() + " must not be privileged");
        }
        Map<String, String> hostPaths = pod.getVolumes().stream().filter(v -> v.getHostPath() != null)
                .collect(Collectors.toMap(Volume::getName, v -> v.getHostPath().getPath()));
        assertEquals(Set.of("/opt/cni/bin", "/etc/cni/net.d", "/run/whereabouts"), Set.copyOf(hostPaths.values()));
        assertTrue(mountedAt(install, hostPaths, "/opt/cni/bin").isPresent());
        assertTrue(mountedAt(install, hostPaths, "/etc/cni/net.d").isPresent());
        assertEquals("/run/whereabouts", mountedAt(daemon, hostPaths, "/run/whereabouts").orElseThrow());
        assertEquals("/etc/cni/net.d", mountedAt(daemon, hostPaths, "/etc/cni/net.d").orElseThrow());
        assertTrue(daemon.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/etc/whereabouts/config")));
    }

    @Test
    void theControllersRunFromTheSameImage() {
        PodSpec node = all(DaemonSet.class).getFirst().getSpec().getTemplate().getSpec();
        Container pods = node.getContainers().stream().filter(c -> c.getName().equals("pod-controller")).findFirst()
                .orElseThrow();
        assertEquals(List.of("controller", "pods"), pods.getCommand().subList(1, pods.getCommand().size()));
        assertEquals("spec.nodeName", fieldRef(pods, "NODENAME"));
        assertEquals("metadata.namespace", fieldRef(pods, "WHEREABOUTS_NAMESPACE"));

        List<Deployment> deployments = all(Deployment.class);
        assertEquals(1, deployments.size());
        PodSpec spec = deployments.getFirst().getSpec().getTemplate().getSpec();
        assertEquals("whereabouts", spec.getServiceAccountName());
        Container slices = spec.getContainers().getFirst();
        assertEquals(List.of("controller", "node-slices"), slices.getCommand().subList(1, slices.getCommand().size()));
        assertEquals(pods.getImage(), slices.getImage());
        assertEquals("metadata.namespace", fieldRef(slices, "WHEREABOUTS_NAMESPACE"));
        assertEquals("metadata.name", fieldRef(slices, "POD_NAME"));
        for (Container c : List.of(pods, slices)) {
            assertNotNull(c.getResources().getLimits().get("memory"), c.getName());
            assertFalse(Boolean.TRUE.equals(c.getSecurityContext().getPrivileged()), c.getName());
            assertTrue(c.getSecurityContext().getReadOnlyRootFilesystem(), c.getName());
        }
    }

    private static java.util.Optional<String> mountedAt(Container c, Map<String, String> hostPaths, String hostPath) {
        return c.getVolumeMounts().stream().filter(m -> hostPath.equals(hostPaths.get(m.getName())))
                .map(io.fabric8.kubernetes.api.model.VolumeMount::getMountPath).findFirst();
    }

    private static String fieldRef(Container c, String name) {
        for (EnvVar e : c.getEnv()) {
            if (e.getName().equals(name)) {
                return e.getValueFrom().getFieldRef().getFieldPath();
            }
        }
        fail(c.getName() + " lacks env " + name);
        return null;
    }

    @Test
    void theConfigMapHoldsAValidSchedule() {
        ConfigMap cm = all(ConfigMap.class).stream().filter(c -> c.getMetadata().getName().equals("whereabouts-config"))
                .findFirst().orElseThrow();
        String expr = cm.getData().get("cron-expression");
        assertEquals(CronSchedule.DEFAULT_EXPRESSION, expr);
        CronSchedule.parse(expr);
    }
}
