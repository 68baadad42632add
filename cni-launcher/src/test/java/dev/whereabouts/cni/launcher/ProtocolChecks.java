package dev.whereabouts.cni.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The CNI protocol as seen by a runtime, run against the packaged binary; subclasses pick the mode. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ProtocolChecks {

    Path dir;
    Path data;
    Path socket;
    Plugin.Daemon daemon;

    /** Whether a node daemon serves the calls (else every call runs in-process). */
    abstract boolean withDaemon();

    /** Extra environment for every call, e.g. to force the JVM client. */
    Map<String, String> extraEnv() {
        return Map.of();
    }

    Plugin.Run call(Map<String, String> env, String stdin) throws Exception {
        var all = new java.util.HashMap<>(env);
        all.putAll(extraEnv());
        return Plugin.run(all, stdin);
    }

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("wa-proto");
        data = dir.resolve("data");
        socket = dir.resolve("run/d.sock");
        if (withDaemon()) {
            daemon = new Plugin.Daemon(socket);
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
            assertFalse(Files.exists(socket), "daemon removes its socket on SIGTERM");
        }
    }

    String config(String version) {
        return Plugin.config(version, data, socket, "10.88.0.0/24");
    }

    /** Exactly one JSON document on stdout, nothing else. */
    static JsonNode onlyJson(Plugin.Run run) {
        try (var parser = JsonMapper.shared().createParser(run.stdout())) {
            JsonNode node = JsonMapper.shared().readTree(parser);
            assertEquals(null, parser.nextToken(), "stdout holds more than one document: " + run.stdout());
            return node;
        }
    }

    static JsonNode error(Plugin.Run run, int code) {
        assertEquals(1, run.exit(), run.toString());
        JsonNode err = onlyJson(run);
        assertEquals(code, err.path("code").asInt(), run.toString());
        assertTrue(err.path("msg").isString() && err.has("cniVersion"), run.toString());
        return err;
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"})
    void addPrintsTheResultInTheConfigVersionAndDelPrintsNothing(String version) throws Exception {
        String id = "c" + version.replace(".", "");
        var add = call(Plugin.env("ADD", id), config(version));
        assertEquals(0, add.exit(), add.toString());
        JsonNode r = onlyJson(add);
        assertEquals(version, r.path("cniVersion").stringValue());
        if (version.startsWith("0.1") || version.startsWith("0.2")) {
            assertTrue(r.path("ip4").path("ip").stringValue().startsWith("10.88.0."), add.stdout());
            assertFalse(r.has("ips"));
        } else {
            JsonNode ip = r.path("ips").get(0);
            assertTrue(ip.path("address").stringValue().matches("10\\.88\\.0\\.\\d+/24"), add.stdout());
            assertEquals("10.88.0.1", ip.path("gateway").stringValue());
            assertEquals(version.startsWith("0."), ip.has("version"), add.stdout());
            assertEquals("0.0.0.0/0", r.path("routes").get(0).path("dst").stringValue());
        }
        var del = call(Plugin.env("DEL", id), config(version));
        assertEquals(new Plugin.Run(0, "", del.stderr()), del);
        var again = call(Plugin.env("DEL", id), config(version));
        assertEquals(0, again.exit(), "repeated DEL succeeds");
        assertEquals("", again.stdout());
    }

    @Test
    void versionListsEverySpecVersion() throws Exception {
        var run = call(Map.of("CNI_COMMAND", "VERSION"), "{\"cniVersion\":\"1.0.0\"}");
        assertEquals(0, run.exit());
        assertEquals("[\"0.1.0\",\"0.2.0\",\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\",\"1.1.0\"]",
                onlyJson(run).path("supportedVersions").toString());
    }

    @Test
    void noCommandPrintsAboutOnStderr() throws Exception {
        var run = call(Map.of(), "");
        assertEquals(0, run.exit());
        assertEquals("", run.stdout());
        assertTrue(run.stderr().contains("whereabouts") && run.stderr().contains("1.1.0"), run.stderr());
    }

    @Test
    void checkGcAndStatusFollowTheirMinimumVersions() throws Exception {
        var add = call(Plugin.env("ADD", "chk1"), config("1.1.0"));
        assertEquals(0, add.exit(), add.toString());
        var check = call(Plugin.env("CHECK", "chk1"), config("1.1.0"));
        assertEquals(new Plugin.Run(0, "", check.stderr()), check);
        assertEquals("config version does not allow CHECK",
                error(call(Plugin.env("CHECK", "chk1"), config("0.3.1")), 1).path("msg").stringValue());
        var gc = call(Map.of("CNI_COMMAND", "GC", "CNI_PATH", "/bin"), config("1.1.0"));
        assertEquals(new Plugin.Run(0, "", gc.stderr()), gc);
        var status = call(Map.of("CNI_COMMAND", "STATUS", "CNI_PATH", "/bin"), config("1.1.0"));
        assertEquals(new Plugin.Run(0, "", status.stderr()), status);
        error(call(Map.of("CNI_COMMAND", "GC", "CNI_PATH", "/bin"), config("1.0.0")), 1);
        error(call(Map.of("CNI_COMMAND", "STATUS", "CNI_PATH", "/bin"), config("0.4.0")), 1);
        assertEquals(0, call(Plugin.env("DEL", "chk1"), config("1.1.0")).exit());
    }

    @Test
    void gcReleasesEveryAttachmentTheRuntimeNoLongerLists() throws Exception {
        Path gcData = Files.createTempDirectory(dir, "gc").resolve("data");
        String conf = Plugin.config("1.1.0", gcData, socket, "10.89.0.0/24");
        for (String id : java.util.List.of("gc1", "gc2", "gc3")) {
            assertEquals(0, call(Plugin.env("ADD", id), conf).exit());
        }
        assertEquals(3, StoreView.allocations(gcData).size());
        // The runtime still runs gc2 only; it names attachments with its own ifname.
        String gcConf = conf.replaceFirst("\\{", "{\"cni.dev/valid-attachments\":[{\"containerID\":\"gc2\",\"ifname\":\"eth0\"}],");
        var gc = call(Map.of("CNI_COMMAND", "GC", "CNI_PATH", "/bin"), gcConf);
        assertEquals(new Plugin.Run(0, "", gc.stderr()), gc);
        var left = StoreView.allocations(gcData);
        assertEquals(1, left.size(), left.toString());
        assertEquals("gc2", left.values().iterator().next().containerId());
        var again = call(Map.of("CNI_COMMAND", "GC", "CNI_PATH", "/bin"), gcConf);
        assertEquals(0, again.exit(), "GC is idempotent");
        assertEquals(left, StoreView.allocations(gcData));
    }

    @Test
    void badJsonIsCode6() throws Exception {
        error(call(Plugin.env("ADD", "bad1"), "{\"cniVersion\": "), 6);
        error(call(Plugin.env("DEL", "bad1"), "[not json"), 6);
    }

    @Test
    void invalidConfigIsCode7EvenOnDel() throws Exception {
        String broken = config("1.0.0").replace("10.88.0.0/24", "10.88.0.0/99");
        error(call(Plugin.env("ADD", "inv1"), broken), 7);
        error(call(Plugin.env("DEL", "inv1"), broken), 7);
        error(call(Plugin.env("ADD", "inv1"), config("1.0.0").replace("\"wa-net\"", "\"bad name\"")), 7);
    }

    @Test
    void missingEnvironmentIsCode4NamingTheVariables() throws Exception {
        var env = Plugin.env("ADD", "env1");
        env.remove("CNI_NETNS");
        env.remove("CNI_IFNAME");
        var err = error(call(env, config("1.0.0")), 4);
        assertEquals("required env variables [CNI_NETNS,CNI_IFNAME] missing", err.path("msg").stringValue());
        error(call(Map.of("CNI_COMMAND", "FROB", "CNI_PATH", "/bin"), config("1.0.0")), 4);
    }

    @Test
    void unsupportedVersionIsCode1() throws Exception {
        var err = error(call(Plugin.env("ADD", "ver1"), config("0.5.0")), 1);
        assertTrue(err.path("details").stringValue().contains("0.5.0"), err.toString());
    }

    @Test
    void delSucceedsWhenTheStoreFails() throws Exception {
        // a data_dir below a regular file can never be created: every store operation fails
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        String unusable = Plugin.config("1.0.0", file.resolve("data"), socket, "10.88.0.0/24")
                .replace("\"log_level\":\"error\"", "\"log_level\":\"debug\"");
        var del = call(Plugin.env("DEL", "fault1"), unusable);
        assertEquals(0, del.exit(), del.toString());
        assertEquals("", del.stdout());
        assertTrue(del.stderr().contains("[error]"), "the fault is logged at error level: " + del.stderr());
        var add = call(Plugin.env("ADD", "fault1"), unusable);
        assertEquals(1, add.exit(), add.toString());
        onlyJson(add);
    }
}
