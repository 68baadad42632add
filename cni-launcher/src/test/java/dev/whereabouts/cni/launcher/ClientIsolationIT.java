package dev.whereabouts.cni.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The per-call client on the daemon path: java.base only, and its AOT cache is current. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientIsolationIT {

    Path dir;
    Plugin.Daemon daemon;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("wa-iso");
        daemon = new Plugin.Daemon(dir.resolve("run/d.sock"));
    }

    @AfterAll
    void stop() throws Exception {
        daemon.close();
    }

    private Plugin.Run add(String id, String jvmFlags) throws Exception {
        var env = Plugin.env("ADD", id);
        env.put("WHEREABOUTS_CLIENT_OPTS", jvmFlags);
        env.put("WHEREABOUTS_CLIENT", "jvm");
        return Plugin.run(env, Plugin.config("1.0.0", dir.resolve("data"), daemon.socket, "10.66.0.0/24"));
    }

    @Test
    void daemonPathLoadsNoJsonLoggingEngineOrStoreClass() throws Exception {
        Path log = dir.resolve("classes.log");
        var run = add("iso1", "-Xlog:class+load=info:file=" + log);
        assertEquals(0, run.exit(), run.toString());
        String loaded = Files.readString(log);
        assertTrue(loaded.contains("dev.whereabouts.cni.launcher.client.Main"), "class log is live");
        for (String forbidden : new String[] {"tools.jackson", "org.slf4j", "dev.whereabouts.ipam",
                "dev.whereabouts.store", "dev.whereabouts.cni.launcher.CniHandler", "io.netty"}) {
            assertTrue(loaded.lines().noneMatch(l -> l.contains(" " + forbidden)),
                    forbidden + " loaded on the daemon path");
        }
    }

    @Test
    void aotCacheMatchesTheShippedFlagsAndJars() throws Exception {
        // AOTMode=on refuses to start when the cache does not fit, so a stale cache fails here
        var run = add("aot1", "-XX:AOTMode=on");
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.stdout().contains("10.66.0."), run.stdout());
    }
}
