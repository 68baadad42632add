package dev.whereabouts.hammer;

import java.nio.file.Path;

/**
 * How hard to hammer.
 *
 * @param store {@code file}, {@code etcd} or {@code kubernetes} (fabric8's mock API server)
 * @param workers worker processes at once
 * @param operations operations in all, shared among the workers
 * @param prefix the pool's IPv4 prefix length; {@code 28} makes a nearly full pool (14 addresses)
 * @param seed drives every random choice of the coordinator and the workers
 * @param killsPerSecond how often a random worker is killed with SIGKILL and restarted while all run;
 *     the rate shrinks in proportion as workers finish (0 = never)
 * @param workDir where journals, the file store and the attachments journal live
 * @param plugin the {@code whereabouts} binary to exec per operation, or null to run the engine in
 *     the worker process (the plugin's in-process path)
 * @param overlap every other worker allocates from the lower half of the range instead (a second
 *     pool over the same addresses), so that only the reservations keep the two pools apart
 */
record HammerOptions(String store, int workers, int operations, int prefix, long seed, double killsPerSecond,
        Path workDir, Path plugin, boolean overlap) {

    static HammerOptions parse(String[] args, Path defaultWorkDir) {
        String store = "file";
        int workers = 8;
        int operations = 2_000;
        int prefix = 26;
        long seed = 1;
        double kills = 0;
        Path work = defaultWorkDir;
        Path plugin = null;
        boolean overlap = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--overlap")) {
                overlap = true;
                continue;
            }
            String v = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--store" -> store = v;
                case "--workers" -> workers = Integer.parseInt(v);
                case "--ops" -> operations = Integer.parseInt(v);
                case "--prefix" -> prefix = Integer.parseInt(v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--kills-per-second" -> kills = Double.parseDouble(v);
                case "--work-dir" -> work = Path.of(v);
                case "--plugin" -> plugin = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (options: --store file|etcd|kubernetes --workers N --ops N --prefix N --seed N"
                        + " --kills-per-second R --work-dir DIR --plugin PATH --overlap)");
            }
            i++;
        }
        return new HammerOptions(store, workers, operations, prefix, seed, kills, work, plugin, overlap);
    }
}
