package dev.whereabouts.cni.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/** The daemon's entrances are private: file modes, token check on loopback, cleanup on SIGTERM. */
class DaemonSecurityIT {

    @Test
    void socketAndTokenFileArePrivateAndRemovedOnShutdown() throws Exception {
        Path dir = Files.createTempDirectory("wa-sec");
        Path socket = dir.resolve("run/d.sock");
        Path tcp = dir.resolve("run/d.sock.tcp");
        var daemon = new Plugin.Daemon(socket);
        try {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tcp)));
            String[] published = Files.readString(tcp).trim().split(" ");
            int port = Integer.parseInt(published[0]);
            try (var s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(20_000);
                InputStream in = s.getInputStream();
                String greeting = new String(in.readNBytes(5 + published[2].length() + 1), StandardCharsets.US_ASCII);
                assertEquals("WHD1 " + published[2] + "\n", greeting);
                s.getOutputStream().write(("WHT1 " + "0".repeat(published[1].length()) + " 0 2\n{}")
                        .getBytes(StandardCharsets.US_ASCII));
                assertEquals(-1, in.read(), "a wrong client token gets no reply");
            }
        } finally {
            daemon.close();
        }
        assertFalse(Files.exists(socket));
        assertFalse(Files.exists(tcp));
    }

    @Test
    void theShellFindsADaemonInAnotherPidNamespaceByItsNetworkNamespace() throws Exception {
        Path dir = Files.createTempDirectory("wa-netns");
        Path socket = dir.resolve("run/d.sock");
        Path tcp = dir.resolve("run/d.sock.tcp");
        try (var daemon = new Plugin.Daemon(socket)) {
            String[] published = Files.readString(tcp).trim().split(" ");
            assertEquals(5, published.length, "port, two tokens, pid, netns");
            assertEquals(Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString(), published[4]);
            // What a caller sees when the daemon runs in a pod: its pid means nothing here.
            published[3] = "999999999";
            Files.writeString(tcp, String.join(" ", published) + "\n");
            var env = new java.util.HashMap<>(Plugin.env("ADD", "netns1"));
            // A JVM client could not start with this option: only the shell's TCP path can answer.
            env.put("WHEREABOUTS_CLIENT_OPTS", "-XX:+NoSuchOptionAnywhere");
            var add = Plugin.run(env, Plugin.config("1.0.0", dir.resolve("data"), socket, "10.77.0.0/24"));
            assertEquals(0, add.exit(), add.toString());
            assertTrue(add.stdout().contains("\"10.77.0.2/24\""), add.stdout());
        }
    }

    @Test
    void sharedDirectoriesAreRefused() throws Exception {
        var run = Plugin.run(java.util.Map.of(), "", "daemon", "--socket", "/tmp/wa-refused.sock");
        assertTrue(run.exit() != 0, run.toString());
        assertTrue(run.stderr().contains("must be a directory of its own"), run.stderr());
        assertFalse(Files.exists(Path.of("/tmp/wa-refused.sock")));
    }
}
