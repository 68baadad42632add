package dev.whereabouts.ops.cli;

import dev.whereabouts.ipam.engine.NodeJournal;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code ctl pending}: this node's journal entries that still need the store — releases queued by
 * a DEL during a store outage (the daemon retries them) and ADDs whose outcome is unknown (DEL or
 * CNI GC reclaims them), and records that cannot be read (DEL or CNI GC releases their attachment in
 * the configured ranges). Reads only the node's journal, so it works while the store is down.
 */
final class PendingCommand {

    static final Path DEFAULT_DIR = Path.of("/var/lib/cni/whereabouts/attachments");

    private PendingCommand() {}

    static int run(CtlArgs a, PrintStream out) {
        Path dir = Path.of(a.value("--attachments-dir").orElse(DEFAULT_DIR.toString()));
        List<NodeJournal.Item> items = NodeJournal.at(dir).unsettled();
        List<Map<String, Object>> rows = items.stream().map(i -> Output.row(
                "network", i.network(),
                "container", i.attachment().containerId(),
                "interface", i.attachment().ifName(),
                "pod", i.podRef(),
                "state", state(i.state()),
                "pools", i.pools().stream().map(p -> p.range().toString()).collect(Collectors.joining(",")),
                "addresses", i.addresses().stream().map(Object::toString).collect(Collectors.joining(",")),
                "datastore", i.datastore())).toList();
        if (a.json()) {
            Output.json(out, rows);
        } else {
            Output.table(out, rows, "no pending releases under " + dir);
        }
        return Ctl.OK;
    }

    private static String state(String journalState) {
        return switch (journalState) {
            case "RELEASING" -> "release pending";
            case NodeJournal.UNREADABLE -> "record unreadable";
            default -> "add unknown";
        };
    }
}
