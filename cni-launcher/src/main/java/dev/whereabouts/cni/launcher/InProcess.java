package dev.whereabouts.cni.launcher;

import dev.whereabouts.cni.launcher.client.Frames;
import dev.whereabouts.ipam.engine.Ipam;
import java.util.Map;

/**
 * The in-process fallback's entry, called reflectively by the client across a module layer; only
 * {@code java.base} types cross.
 */
public final class InProcess {

    private InProcess() {
    }

    /**
     * Runs one call with a fresh engine and returns the encoded reply. The engine (and with it every
     * store lock) is closed before this returns, so the caller may print and exit at once.
     */
    public static byte[] handle(Map<String, String> env, byte[] stdin) {
        Launcher.quietJul();
        Frames.Reply reply;
        try (var handler = new CniHandler(Ipam.withDiscoveredStores())) {
            reply = handler.handle(env, stdin);
            if (reply.exitCode() == 0) {
                // The store answered this call: releases queued by earlier in-process DELs (no
                // daemon to retry them) go through now, or wait for the next run or CNI GC.
                handler.retryPendingOnce();
            }
        }
        return Frames.encodeReply(reply);
    }
}
