package dev.whereabouts.cni.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every entry of the bad-input corpus, thrown at the shipped binary: a non-zero exit, exactly one
 * CNI error on stdout with the entry's code, no stack trace, no file's content echoed, nothing
 * written anywhere under the call's directories, and (with a daemon) the daemon still serving.
 * Subclasses pick the path, so the daemon and the in-process fallback are held to the same answers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BadInputChecks {

    /** Content of a file the corpus points config paths at; it must never come back in an answer. */
    static final String SECRET = "SECRET-7f3a9 this file is not JSON";
    private static final Pattern STACK = Pattern.compile("(?m)^\\s+at |\\b(java|dev\\.whereabouts|io\\.|tools\\.jackson)[\\w.]*Exception\\b");

    private BadInput.Dirs dirs;
    private Path run;
    private Plugin.Daemon daemon;

    /** Whether a node daemon serves the calls (else every call runs in-process). */
    abstract boolean withDaemon();

    /** Extra environment for every call, e.g. to force the JVM client. */
    Map<String, String> extraEnv() {
        return Map.of();
    }

    @BeforeAll
    void start() throws Exception {
        Path root = Files.createTempDirectory("wa-bad");
        dirs = new BadInput.Dirs(root, Files.createDirectories(root.resolve("data")),
                Files.createDirectories(root.resolve("attachments")));
        Files.writeString(root.resolve("not-json.conf"), SECRET + "\n");
        Files.writeString(root.resolve("a-regular-file"), "x");
        run = Files.createTempDirectory("wa-bad-run");
        if (withDaemon()) {
            daemon = new Plugin.Daemon(run.resolve("d.sock"));
        }
    }

    @TestFactory
    Stream<DynamicTest> everyBadInputIsRefusedWithItsCode() {
        return BadInput.corpus().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> refuses(c)));
    }

    private void refuses(BadInput c) throws Exception {
        Map<String, String> before = tree(dirs.root());
        Map<String, String> env = c.env("corpus");
        env.put("WHEREABOUTS_DAEMON_SOCKET", run.resolve(withDaemon() ? "d.sock" : "nobody-listens.sock").toString());
        env.putAll(extraEnv());
        Plugin.Run r = Plugin.exec(Plugin.builder(List.of(Plugin.BIN.toString()), env), c.stdin(dirs));
        String seen = "stdout: " + r.stdout() + "\nstderr: " + r.stderr();
        assertNotEquals(0, r.exit(), seen);
        assertEquals(1, r.stdout().strip().lines().count(), "one line of JSON on stdout\n" + seen);
        JsonNode reply = JsonMapper.shared().readTree(r.stdout());
        assertEquals(c.code(), reply.path("code").intValue(), seen);
        assertTrue(reply.path("msg").isString() && !reply.path("msg").stringValue().isBlank(), seen);
        assertFalse(STACK.matcher(r.stdout()).find(), "no stack trace on stdout\n" + seen);
        assertFalse(r.stdout().contains(SECRET) || r.stderr().contains(SECRET), "no file content echoed\n" + seen);
        assertEquals(before, tree(dirs.root()), "nothing written\n" + seen);
        if (daemon != null) {
            assertTrue(daemon.process.isAlive(), "the daemon survives\n" + seen);
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (daemon == null) {
            return;
        }
        try (Plugin.Daemon d = daemon) {
            // Still serving good calls after the whole corpus.
            var env = Plugin.env("ADD", "after-corpus");
            env.put("WHEREABOUTS_DAEMON_SOCKET", d.socket.toString());
            env.putAll(extraEnv());
            String good = dirs.substitute(BadInput.goodConfig().toString());
            Plugin.Run add = Plugin.exec(Plugin.builder(List.of(Plugin.BIN.toString()), env), good);
            assertEquals(0, add.exit(), add.stdout() + add.stderr());
            assertTrue(add.stdout().contains("\"ips\":[{\"address\":\"10.77.0."), add.stdout());
        }
    }

    /** Every file and directory under {@code root} with its size and modification time. */
    static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            List<Path> paths = new ArrayList<>(all.toList());
            for (Path p : paths) {
                out.put(root.relativize(p).toString(), Files.isDirectory(p) ? "dir"
                        : Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis());
            }
        }
        return out;
    }
}
