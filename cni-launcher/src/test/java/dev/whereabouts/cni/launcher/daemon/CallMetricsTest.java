package dev.whereabouts.cni.launcher.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.whereabouts.cni.launcher.client.Frames;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The labels a call is counted under. */
class CallMetricsTest {

    private static Frames.Reply reply(int exit, String stdout) {
        return new Frames.Reply(exit, stdout.getBytes(StandardCharsets.UTF_8), new byte[0]);
    }

    @Test
    void codeComesFromTheExitOrTheErrorObject() {
        assertEquals("0", CallMetrics.code(reply(0, "{\"cniVersion\":\"1.0.0\",\"ips\":[]}")));
        assertEquals("7", CallMetrics.code(reply(1,
                "{\"cniVersion\":\"1.0.0\",\"code\":7,\"msg\":\"x \\\"code\\\":9\",\"details\":\"\"}\n")));
        assertEquals("999", CallMetrics.code(reply(1, "{\"code\": 999}")));
        assertEquals("unknown", CallMetrics.code(reply(1, "")));
        assertEquals("unknown", CallMetrics.code(reply(1, "{\"code\":\"x\"}")));
    }

    @Test
    void commandsAreAFixedSet() {
        assertEquals("ADD", CallMetrics.command("ADD"));
        assertEquals("none", CallMetrics.command(null));
        assertEquals("none", CallMetrics.command(""));
        assertEquals("other", CallMetrics.command("add"));
        assertEquals("other", CallMetrics.command("DROP TABLE"));
    }
}
