package dev.whereabouts.cni.launcher;

import dev.whereabouts.cni.launcher.client.NativeExit;
import java.util.Optional;

/**
 * Stops {@code whereabouts run} when the client that started it is gone.
 *
 * <p>Why: the runtime gives a call up by killing the plugin process, which is the JVM client; the
 * {@code run} JVM it started for a call no daemon answered would otherwise finish that call behind
 * the runtime's back. An ADD finished after its DEL came would hold an address until CNI GC or the
 * reconciler found it. Stopping at once is what a killed plugin does, and every call is safe
 * against that: the attachment journal names an ADD's pools before its commit.
 */
final class ParentWatch {

    /** How often the parent is looked at: a tenth of a second is nothing next to a JVM's start. */
    private static final long POLL_MILLIS = 50;
    /** The exit status of a call stopped this way (nobody reads it: the client is gone). */
    static final int ORPHANED = 137;

    private ParentWatch() {}

    /**
     * Halts this process when its parent is no longer {@code parentPid}: at once when that is so
     * already (the client died while this JVM started), else as soon as it is seen.
     */
    static void start(long parentPid) {
        if (!isParent(parentPid)) {
            NativeExit.halt(ORPHANED);
        }
        Thread.ofPlatform().daemon().name("whereabouts-parent-watch").start(() -> {
            while (isParent(parentPid)) {
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
            System.err.println("whereabouts run: the plugin process " + parentPid
                    + " that started this call is gone; stopping the call as a killed plugin would");
            NativeExit.halt(ORPHANED);
        });
    }

    /** Whether {@code pid} is still this process's parent: a dead parent's child is handed to a reaper. */
    private static boolean isParent(long pid) {
        Optional<ProcessHandle> parent = ProcessHandle.current().parent();
        return parent.isPresent() && parent.get().pid() == pid;
    }
}
