package dev.whereabouts.bench.burst;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time from Linux's {@code /proc}: a process's user + system time, and the whole machine's
 * busy time. A burst on one machine is bound by its cores, so where the CPU went (node daemons,
 * store server, the plugin processes a runtime execs) says more than the wall time alone.
 */
final class ProcessCpu {

    /** Linux's USER_HZ, the unit of {@code /proc} times; 100 on every mainstream architecture. */
    private static final double MILLIS_PER_TICK = 10.0;

    private ProcessCpu() {
    }

    /** CPU milliseconds process {@code pid} used so far (its threads, not its children); 0 once it is gone. */
    static long millis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // the command name in parentheses may hold spaces: count fields after its closing one
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Math.round((Long.parseLong(f[11]) + Long.parseLong(f[12])) * MILLIS_PER_TICK);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * CPU milliseconds of this process's children that ended and were waited for: the plugin
     * processes the harness execs (the daemons and store servers are waited for only at the end).
     */
    static long reapedChildrenMillis() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Math.round((Long.parseLong(f[13]) + Long.parseLong(f[14])) * MILLIS_PER_TICK);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** CPU milliseconds every core of the machine spent busy (not idle, not waiting for I/O) so far. */
    static long machineBusyMillis() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length; i++) {
                if (i != 4 && i != 5) { // idle, iowait
                    busy += Long.parseLong(f[i]);
                }
            }
            return Math.round(busy * MILLIS_PER_TICK);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
