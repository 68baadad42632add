package dev.whereabouts.cni.launcher;

/** The bad-input corpus with no daemon: every call runs in-process. */
class BadInputFallbackIT extends BadInputChecks {
    @Override
    boolean withDaemon() {
        return false;
    }
}
