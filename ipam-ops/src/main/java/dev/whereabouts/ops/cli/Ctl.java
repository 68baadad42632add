package dev.whereabouts.ops.cli;

import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.engine.StoreProviders;
import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.ipam.spi.StoreConfig;
import dev.whereabouts.ops.OpsConfig;
import dev.whereabouts.store.kubernetes.client.KubernetesClients;
import dev.whereabouts.store.kubernetes.client.KubernetesConnection;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * The operator CLI, exposed as {@code whereabouts ctl ...}. Works against every store through the SPI:
 * the store comes from {@code --config FILE} (default {@link OpsConfig#DEFAULT_FLAT_FILE}).
 *
 * <pre>
 * whereabouts ctl [--config FILE] [-o table|json] COMMAND
 *   pools                               every pool with size, used and free counts
 *   show POOL                           a pool's allocations (POOL = object name or range)
 *   who IP                              which pool entries and reservations hold an address
 *   release --ip IP [--pool P] [--network N] --yes
 *   release --pod NAMESPACE/NAME --yes  remove allocations (and their reservations)
 *   reconcile [--dry-run] [--leftover-wait SECONDS] [--pod-grace SECONDS]
 *   migration-check                     NADs whose whereabouts section would behave differently after the swap
 *   pending [--attachments-dir DIR]     this node's queued releases and ADDs of unknown outcome
 * </pre>
 *
 * <p>Results go to {@code out}; errors to {@code err}. Exit codes: 0 success, 1 failure (store,
 * cluster, nothing found), 2 bad command line or a release refused without {@code --yes}.
 *
 * @since 0.1
 */
public final class Ctl {

    /** Success. */
    public static final int OK = 0;
    /** The command failed. */
    public static final int FAILED = 1;
    /** Bad usage, or a destructive command without {@code --yes}. */
    public static final int USAGE = 2;

    static final String USAGE_TEXT = """
            usage: whereabouts ctl [--config FILE] [-o table|json] COMMAND
              pools                                list pools with size, used and free counts
              show POOL                            allocations of a pool (object name or range)
              who IP                               pool entries and reservations that hold IP
              release --ip IP [--pool P] [--network N] [--yes]
              release --pod NAMESPACE/NAME [--yes] release allocations and their reservations
              reconcile [--dry-run] [--leftover-wait SECONDS] [--pod-grace SECONDS]
                                                   remove allocations of pods that are gone (needs kubernetes.kubeconfig)
              migration-check                      NetworkAttachmentDefinitions whose whereabouts section this
                                                   plugin reads differently from upstream (exit 1 when any)
              pending [--attachments-dir DIR]      this node's releases queued during a store outage (retried by
                                                   the daemon) and ADDs of unknown outcome; needs no store
            --config defaults to %s""".formatted(OpsConfig.DEFAULT_FLAT_FILE);

    private Ctl() {}

    /** Runs one command; never calls {@code System.exit}. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, System.getenv());
    }

    /** As {@link #run(String[], PrintStream, PrintStream)} with an explicit environment. */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        CtlArgs a;
        try {
            a = CtlArgs.parse(args);
            if (a.flag("--help") || a.words.isEmpty() || a.words.getFirst().equals("help")) {
                (a.words.isEmpty() && !a.flag("--help") ? err : out).println(USAGE_TEXT);
                return a.words.isEmpty() && !a.flag("--help") ? USAGE : OK;
            }
            a.json();
        } catch (CtlArgs.UsageException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE_TEXT);
            return USAGE;
        }
        String command = a.words.getFirst();
        if (!java.util.Set.of("pools", "show", "who", "release", "reconcile", "migration-check", "pending")
                .contains(command)) {
            err.println("error: unknown command " + command);
            err.println(USAGE_TEXT);
            return USAGE;
        }
        if (command.equals("pending")) {
            try {
                return PendingCommand.run(a, out);
            } catch (IpamException e) {
                err.println("error: " + e.msg() + (e.details().isEmpty() ? "" : ": " + e.details()));
                return FAILED;
            }
        }
        Path configFile = Path.of(a.value("--config").orElse(OpsConfig.DEFAULT_FLAT_FILE.toString()));
        try {
            StoreConfig config = OpsConfig.read(configFile);
            if (command.equals("migration-check")) {
                // Reads the cluster's NADs only: no store is opened, since the point is to check
                // before this plugin's store is in use.
                try (KubernetesConnection k8s = KubernetesClients.connect(config, env)) {
                    return new MigrationCheckCommand(k8s.client()).run(a, out);
                }
            }
            try (IpamStore store = StoreProviders.discovered().open(config)) {
                Inventory inv = new Inventory(store);
                return switch (command) {
                    case "pools" -> inv.pools(a, out);
                    case "show" -> inv.show(a, out, err);
                    case "who" -> inv.who(a, out, err);
                    case "release" -> new ReleaseCommand(store).run(a, out, err);
                    default -> new ReconcileCommand(store, config, env).run(a, out, err);
                };
            }
        } catch (CtlArgs.UsageException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE_TEXT);
            return USAGE;
        } catch (IpamException e) {
            err.println("error: " + e.msg() + (e.details().isEmpty() ? "" : ": " + e.details()));
            return FAILED;
        } catch (RuntimeException e) {
            err.println("error: " + e);
            return FAILED;
        }
    }
}
