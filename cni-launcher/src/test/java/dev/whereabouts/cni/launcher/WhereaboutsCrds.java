package dev.whereabouts.cni.launcher;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Our CRD manifests from {@code deploy/crds}, as an operator applies them, for a mock API server. */
final class WhereaboutsCrds {

    private WhereaboutsCrds() {}

    static void install(KubernetesClient admin) {
        try (Stream<Path> files = Files.list(Path.of("..", "deploy", "crds"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    CustomResourceDefinition crd = admin.apiextensions().v1().customResourceDefinitions().load(in).item();
                    admin.apiextensions().v1().customResourceDefinitions().resource(crd).create();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
