package dev.whereabouts.bench.fault;

/**
 * The faults of the suite, each on the store it concerns. The node daemon's is injected on etcd,
 * the store whose client is the heaviest to start in-process.
 */
enum FaultKind {
    ETCD_PAUSE("etcd paused (SIGSTOP, then SIGCONT)", true),
    ETCD_RESTART("etcd killed (SIGKILL) and restarted", true),
    DAEMON_KILL("node daemon SIGKILL, restarted after 0.3 s", true),
    MOCK_5XX("API server answers every request with 503", false),
    MOCK_SLOW("API server answers every response 2 s late", false),
    MOCK_RESET("API server resets every connection", false);

    final String what;
    final boolean etcd;

    FaultKind(String what, boolean etcd) {
        this.what = what;
        this.etcd = etcd;
    }

    /** The store column of the report. */
    String store() {
        return etcd ? "etcd" : "kubernetes (mock)";
    }
}
