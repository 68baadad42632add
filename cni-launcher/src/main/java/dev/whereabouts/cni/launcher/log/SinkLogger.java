package dev.whereabouts.cni.launcher.log;

import dev.whereabouts.ipam.engine.LogLevel;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** An SLF4J logger that writes to whichever {@link LogSink} is current on the calling thread. */
final class SinkLogger extends LegacyAbstractLogger {

    private static final long serialVersionUID = 1L;

    /**
     * fabric8 warns on every first use of a v1alpha1 kind; the CRD version is upstream's and fixed, so
     * that warning would be noise in every plugin log.
     */
    private static final String UNSTABLE_VERSION_WARNER = "io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils";

    /**
     * The lowest level this logger lets through before the sink's own level applies. Libraries (Netty,
     * gRPC, fabric8) log their internals at debug; only their warnings matter here.
     */
    private final Level floor;

    SinkLogger(String name) {
        this.name = name;
        if (name.startsWith("dev.whereabouts")) {
            floor = Level.TRACE;
        } else if (name.equals(UNSTABLE_VERSION_WARNER)) {
            floor = Level.ERROR;
        } else {
            floor = Level.WARN;
        }
    }

    private boolean on(Level level) {
        if (level.toInt() < floor.toInt()) {
            return false;
        }
        return Logs.current().level().admits(LogLevel.of(level));
    }

    @Override
    public boolean isTraceEnabled() {
        return on(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return on(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return on(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return on(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return on(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String msg, Object[] args,
            Throwable t) {
        if (!on(level)) {
            return;
        }
        var tuple = MessageFormatter.arrayFormat(msg, args, t);
        Throwable thrown = t != null ? t : tuple.getThrowable();
        Logs.current().log(LogLevel.of(level), tuple.getMessage(), thrown);
    }
}
