package dev.whereabouts.ipam.engine;

import java.util.Locale;
import java.util.Optional;

/**
 * Upstream whereabouts' log levels, most severe first; a threshold lets through itself and above.
 * {@code log_level} is parsed into one at load time, so nothing downstream compares strings.
 *
 * @since 0.2
 */
public enum LogLevel {
    PANIC, ERROR, VERBOSE, DEBUG;

    /** The lowercase name used in log lines and in {@code log_level}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a message of level {@code message} passes this threshold. */
    public boolean admits(LogLevel message) {
        return message.ordinal() <= ordinal();
    }

    /** Case-insensitive parse; empty for unknown names (upstream then keeps the current level). */
    public static Optional<LogLevel> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        for (LogLevel l : values()) {
            if (l.name().equalsIgnoreCase(name.trim())) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }

    /** SLF4J levels onto upstream's four: info is "verbose", warn counts as error. */
    public static LogLevel of(org.slf4j.event.Level level) {
        return switch (level) {
            case ERROR, WARN -> ERROR;
            case INFO -> VERBOSE;
            case DEBUG, TRACE -> DEBUG;
        };
    }
}
