package dev.whereabouts.bench.fault;

import dev.whereabouts.bench.burst.NodeDaemon;
import java.nio.file.Path;

/** The one node of the suite: its daemon, which a fault may kill and a supervisor restarts. */
final class Node implements AutoCloseable {

    private final Path binary;
    private final Path dir;
    private NodeDaemon daemon;

    Node(Path binary, Path dir) {
        this.binary = binary;
        this.dir = dir;
        start();
        daemon.awaitReady();
    }

    /** Starts the daemon process and returns at once, as a supervisor would. */
    void start() {
        daemon = new NodeDaemon(binary, "fault-node", dir);
    }

    void kill() {
        daemon.kill();
    }

    Path socket() {
        return daemon.socket();
    }

    Path attachments() {
        return daemon.attachments();
    }

    Path log() {
        return daemon.log();
    }

    @Override
    public void close() {
        daemon.close();
    }
}
