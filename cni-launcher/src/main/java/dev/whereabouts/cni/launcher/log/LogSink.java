package dev.whereabouts.cni.launcher.log;

import dev.whereabouts.ipam.engine.LogLevel;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Where log lines of one CNI call (or of the daemon itself) go: a stream standing for the plugin's
 * stderr and optionally the configured {@code log_file}, both filtered by one level.
 *
 * <p>Line format as upstream: {@code <RFC3339> [<level>] <message>}.
 */
public final class LogSink {

    private final OutputStream stderr;
    private volatile LogLevel level;
    private volatile Path file;

    /** A sink writing to {@code stderr} at {@code level}. */
    public LogSink(OutputStream stderr, LogLevel level) {
        this.stderr = stderr;
        this.level = level;
    }

    /** Applies {@code log_file} and {@code log_level} from the loaded config. */
    public void configure(Optional<Path> logFile, LogLevel logLevel) {
        level = logLevel;
        file = logFile.orElse(null);
    }

    /** The current threshold. */
    public LogLevel level() {
        return level;
    }

    /** Writes one line if {@code at} passes the threshold. Never throws. */
    public synchronized void log(LogLevel at, String message, Throwable t) {
        if (!level.admits(at)) {
            return;
        }
        String time = OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        var line = new StringBuilder(time).append(" [").append(at.label()).append("] ").append(message);
        if (t != null) {
            line.append(": ").append(t);
        }
        byte[] bytes = line.append('\n').toString().getBytes(StandardCharsets.UTF_8);
        try {
            stderr.write(bytes);
            stderr.flush();
        } catch (IOException ignored) {
            // a closed stderr must not break the call
        }
        Path f = file;
        if (f != null) {
            try {
                Files.write(f, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                        StandardOpenOption.WRITE);
            } catch (IOException | RuntimeException ignored) {
                // upstream also carries on when the log file cannot be written
            }
        }
    }
}
