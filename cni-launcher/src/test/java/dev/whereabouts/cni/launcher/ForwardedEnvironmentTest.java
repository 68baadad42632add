package dev.whereabouts.cni.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.whereabouts.ipam.engine.CniRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The shell forwarder sends the daemon only the variables a call may read; its list and the
 * engine's must not drift apart, or a call would read a variable in-process that the daemon never
 * received.
 */
class ForwardedEnvironmentTest {

    private static final Pattern NAMES = Pattern.compile("\\n\\s*names=\"([^\"]*)\"\\n");

    @Test
    void theScriptForwardsWhatTheEngineKeeps() throws Exception {
        String script = Files.readString(Path.of("src/main/packaging/whereabouts.sh"));
        var m = NAMES.matcher(script);
        org.junit.jupiter.api.Assertions.assertTrue(m.find(), "no names=\"...\" line in the script");
        Set<String> forwarded = new TreeSet<>(Arrays.asList(m.group(1).trim().split("\\s+")));
        Set<String> kept = new TreeSet<>(CniRequest.CALL_NAMES);
        kept.addAll(CniRequest.CALL_PREFIXES.stream().map(p -> "${!" + p + "*}").collect(Collectors.toSet()));
        assertEquals(kept, forwarded);
    }
}
