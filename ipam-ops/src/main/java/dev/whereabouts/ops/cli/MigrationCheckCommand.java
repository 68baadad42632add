package dev.whereabouts.ops.cli;

import dev.whereabouts.ipam.engine.MigrationCheck;
import dev.whereabouts.ops.nad.Nads;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * {@code whereabouts ctl migration-check}: every NetworkAttachmentDefinition whose whereabouts
 * section this plugin would read differently from upstream, so that an operator can fix them before
 * swapping binaries. Exit code 0 when none would change, 1 when some would.
 */
final class MigrationCheckCommand {

    private final KubernetesClient client;

    MigrationCheckCommand(KubernetesClient client) {
        this.client = client;
    }

    int run(CtlArgs a, PrintStream out) {
        List<GenericKubernetesResource> nads = new ArrayList<>(Nads.of(client).inAnyNamespace().list().getItems());
        nads.sort(Comparator.comparing((GenericKubernetesResource n) -> n.getMetadata().getNamespace())
                .thenComparing(n -> n.getMetadata().getName()));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (GenericKubernetesResource nad : nads) {
            Object config = nad.getAdditionalProperties() instanceof Map<?, ?> props
                    && props.get("spec") instanceof Map<?, ?> spec ? spec.get("config") : null;
            if (!(config instanceof String text) || text.isBlank()) {
                continue; // a NAD without an inline config delegates to a file on the node: nothing to read here
            }
            String ref = nad.getMetadata().getNamespace() + "/" + nad.getMetadata().getName();
            for (String finding : MigrationCheck.findings(text)) {
                rows.add(Output.row("nad", ref, "finding", finding));
            }
        }
        if (a.json()) {
            Output.json(out, rows);
        } else {
            Output.table(out, rows, "no NetworkAttachmentDefinition would change behaviour (" + nads.size() + " checked)");
        }
        return rows.isEmpty() ? Ctl.OK : Ctl.FAILED;
    }
}
