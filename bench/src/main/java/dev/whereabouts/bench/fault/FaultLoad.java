package dev.whereabouts.bench.fault;

import dev.whereabouts.bench.burst.CniCall;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Callers that loop ADD, a short hold, DEL through the plugin binary, as a runtime creating and
 * deleting pods would: a failed ADD is followed by DEL (the runtime tears the sandbox down), a DEL
 * is repeated until it succeeds. When told to stop, each caller leaves one container running, so
 * that the check also sees addresses that must stay.
 */
final class FaultLoad implements AutoCloseable {

    private static final int MAX_TRIES = 100;

    private final Path binary;
    private final String config;
    private final String prefix;
    private final long epoch;
    final CallLog log = new CallLog();
    final Ledger ledger = new Ledger();
    private final List<Thread> callers = new ArrayList<>();
    private volatile boolean stopping;

    FaultLoad(Path binary, String config, String prefix, long epoch, int callers) {
        this.binary = binary;
        this.config = config;
        this.prefix = prefix;
        this.epoch = epoch;
        for (int i = 0; i < callers; i++) {
            int caller = i;
            this.callers.add(Thread.ofPlatform().name("fault-caller-" + i).start(() -> loop(caller)));
        }
    }

    private void loop(int caller) {
        int n = 0;
        while (!stopping) {
            String container = prefix + "-" + caller + "-" + n++;
            if (call("ADD", container).ok()) {
                pause(20);
            }
            untilOk("DEL", container);
        }
        untilOk("ADD", prefix + "-" + caller + "-stays");
    }

    private void untilOk(String command, String container) {
        for (int i = 0; i < MAX_TRIES && !call(command, container).ok(); i++) {
            pause(100);
        }
    }

    private CallLog.Call call(String command, String container) {
        long start = System.nanoTime() - epoch;
        if (command.equals("DEL")) {
            ledger.delStarted(container, start);
        }
        CniCall r = CniCall.run(binary, command, container, config);
        CallLog.Call c = new CallLog.Call(command, container, start, System.nanoTime() - epoch, r);
        log.add(c);
        if (c.ok() && command.equals("ADD") && !r.addresses().isEmpty()) {
            ledger.added(container, r.addresses().getFirst(), c.end());
        } else if (c.ok() && command.equals("DEL")) {
            ledger.deleted(container);
        }
        return c;
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the loops and waits for every caller's last container. */
    @Override
    public void close() throws InterruptedException {
        stopping = true;
        for (Thread t : callers) {
            t.join();
        }
    }
}
