package dev.whereabouts.cni.launcher.log;

import dev.whereabouts.ipam.engine.LogLevel;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.util.function.Supplier;

/**
 * Chooses the sink for the current thread: the sink of the CNI call being served, else the
 * process-wide one (the daemon's own stderr, or the plugin's stderr in-process).
 */
public final class Logs {

    private static final ThreadLocal<LogSink> CURRENT = new ThreadLocal<>();
    private static volatile LogSink process =
            new LogSink(new FileOutputStream(FileDescriptor.err), defaultLevel());

    private Logs() {
    }

    /** Upstream logs at debug unless told otherwise. */
    static LogLevel defaultLevel() {
        return LogLevel.parse(System.getenv("WHEREABOUTS_LOG_LEVEL")).orElse(LogLevel.DEBUG);
    }

    /** The sink for log calls on this thread. */
    public static LogSink current() {
        LogSink s = CURRENT.get();
        return s != null ? s : process;
    }

    /** The process-wide sink. */
    public static LogSink process() {
        return process;
    }

    /** Replaces the process-wide sink with one on stderr at {@code level}. */
    public static void setProcessLevel(LogLevel level) {
        process = new LogSink(new FileOutputStream(FileDescriptor.err), level);
    }

    /** Runs {@code body} with {@code sink} receiving this thread's log lines. */
    public static <T> T with(LogSink sink, Supplier<T> body) {
        LogSink before = CURRENT.get();
        CURRENT.set(sink);
        try {
            return body.get();
        } finally {
            if (before == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(before);
            }
        }
    }
}
