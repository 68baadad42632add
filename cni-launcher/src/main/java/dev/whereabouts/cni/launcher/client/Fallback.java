package dev.whereabouts.cni.launcher.client;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * Runs a call with the full plugin when no daemon answers: {@code bin/whereabouts run} in a JVM of
 * its own, the call's environment and stdin handed over as they came, its stdout taken back and
 * its log lines left on the stderr both processes share.
 *
 * <p>Why a second JVM rather than loading the plugin into this one, as this class once did (a
 * module layer over every jar in {@code lib/}): an AOT cache covers the class and module path a
 * JVM starts with, never a layer defined at run time, so the engine and stores ran from their
 * jars, interpreted. {@code run} starts on the module path with the daemon's AOT cache: on this
 * project's 2-core VM an ADD through the fallback took 1.15–1.22 s of wall time and 1.5 s of CPU
 * the old way, and {@code run} alone 0.48–0.52 s and 0.8 s (docs/launcher.md).
 */
public final class Fallback {

    private Fallback() {
    }

    /** Runs the call with the full plugin and returns what this process must print. */
    public static Frames.Reply run(Frames.Request request) throws IOException {
        Path plugin = libDir().getParent().resolve("bin").resolve("whereabouts");
        // --parent: when the runtime kills this client, the call stops too instead of finishing unseen
        var pb = new ProcessBuilder(plugin.toString(), "run", "--parent", Long.toString(ProcessHandle.current().pid()))
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().clear();
        pb.environment().putAll(request.env());
        Process child = pb.start();
        // Fed from its own thread: the child reads all of stdin before it answers, but a pipe holds
        // 64 KiB and a configuration may be larger.
        Thread feeder = Thread.ofPlatform().daemon().start(() -> {
            try (OutputStream in = child.getOutputStream()) {
                in.write(request.stdin());
            } catch (IOException gone) {
                // the child died before reading it all: its exit status tells the rest
            }
        });
        byte[] out = child.getInputStream().readAllBytes();
        int status;
        try {
            status = child.waitFor();
            feeder.join();
        } catch (InterruptedException e) {
            child.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the in-process plugin ran", e);
        }
        if (out.length == 0 && status != 0) {
            // killed, or a JVM that could not start: no CNI answer of its own to pass on
            throw new IOException("the in-process plugin (" + plugin + " run) exited with " + status
                    + " and printed nothing");
        }
        return new Frames.Reply(status, out, new byte[0]);
    }

    /** The directory that holds this jar and every other jar of the plugin. */
    static Path libDir() throws IOException {
        String override = System.getProperty("whereabouts.lib");
        if (override != null) {
            return Path.of(override);
        }
        try {
            var src = Fallback.class.getProtectionDomain().getCodeSource().getLocation().toURI();
            return Path.of(src).getParent();
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }
}
