package dev.whereabouts.hammer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The node daemon of the shipped plugin, for runs through the real binary: without it every call
 * would take the in-process fallback and pay a full JVM start. Workers are killed, the daemon is
 * not: it plays the node, whose calls in flight still finish when a runtime gives up on them.
 */
final class PluginDaemon implements AutoCloseable {

    private final Process process;
    final Path socket;

    private PluginDaemon(Process process, Path socket) {
        this.process = process;
        this.socket = socket;
    }

    static PluginDaemon start(Path plugin, Path work) throws IOException, InterruptedException {
        Path socket = work.resolve("run/daemon.sock");
        Path log = work.resolve("daemon.log");
        ProcessBuilder pb = new ProcessBuilder(List.of(plugin.toString(), "daemon", "--socket", socket.toString(),
                "--flat-file", work.resolve("no-flat-file.conf").toString()));
        pb.environment().put("WHEREABOUTS_LOG_LEVEL", "error");
        Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        for (int i = 0; i < 600 && !Files.exists(socket); i++) {
            if (!p.isAlive()) {
                throw new IOException("plugin daemon exited: " + Files.readString(log));
            }
            Thread.sleep(50);
        }
        if (!Files.exists(socket)) {
            p.destroyForcibly();
            throw new IOException("plugin daemon did not bind " + socket + ": " + Files.readString(log));
        }
        return new PluginDaemon(p, socket);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
