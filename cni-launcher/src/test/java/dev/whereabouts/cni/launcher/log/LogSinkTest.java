package dev.whereabouts.cni.launcher.log;

import dev.whereabouts.ipam.engine.LogLevel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class LogSinkTest {

    @Test
    void linesHaveUpstreamFormatAndRespectTheLevel(@TempDir Path dir) throws Exception {
        var err = new ByteArrayOutputStream();
        var sink = new LogSink(err, LogLevel.DEBUG);
        Path file = dir.resolve("w.log");
        sink.configure(Optional.of(file), LogLevel.ERROR);
        Logs.with(sink, () -> {
            var log = LoggerFactory.getLogger("t");
            log.debug("hidden {}", 1);
            log.info("hidden too");
            log.error("shown {}", 2);
            return null;
        });
        String text = err.toString();
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(Z|[+-]\\d\\d:\\d\\d) \\[error\\] shown 2\\n"),
                text);
        assertEquals(text, Files.readString(file));
    }

    @Test
    void theConfigsLevelBecomesTheThreshold() {
        // log_level is parsed (and an unknown one reported) by the engine; the sink takes the value
        var sink = new LogSink(new ByteArrayOutputStream(), LogLevel.VERBOSE);
        sink.configure(Optional.empty(), LogLevel.PANIC);
        assertEquals(LogLevel.PANIC, sink.level());
        assertTrue(LogLevel.ERROR.admits(LogLevel.PANIC));
    }
}
