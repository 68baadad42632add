package dev.whereabouts.cni.launcher.client;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Ends the process without a normal JVM exit. A normal exit runs shutdown hooks and waits for
 * non-daemon threads, which can stall for hundreds of milliseconds on lingering selector or store
 * threads; once stdout is flushed and every lock is released there is nothing left worth waiting for.
 *
 * <p>Two ways: libc {@code _exit} through FFM after the engine and stores ran in this process, and
 * {@link Runtime#halt} on the daemon path. Measured on the shipped runtime, binding the FFM downcall
 * costs about 80 ms on a cold JVM (29 ms vs 107 ms for a trivial program), more than the whole rest
 * of a forwarded call; the daemon path starts no threads, so halt has nothing to stall on there.
 */
public final class NativeExit {

    private NativeExit() {
    }

    /** Never returns: {@link Runtime#halt}. */
    public static void halt(int status) {
        if (System.getenv("WHEREABOUTS_AOT_TRAINING") != null) {
            System.exit(status); // the AOT cache is written by a normal JVM exit
        }
        Runtime.getRuntime().halt(status);
    }

    /** Never returns. Falls back to {@link Runtime#halt} where the native call is unavailable. */
    public static void exit(int status) {
        if (System.getenv("WHEREABOUTS_AOT_TRAINING") != null) {
            System.exit(status); // the AOT cache is written by a normal JVM exit
        }
        try {
            Linker linker = Linker.nativeLinker();
            var symbol = linker.defaultLookup().find("_exit");
            if (symbol.isPresent()) {
                MethodHandle exit = linker.downcallHandle(symbol.get(),
                        FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
                exit.invokeExact(status);
            }
        } catch (Throwable ignored) {
            // fall through to halt
        }
        Runtime.getRuntime().halt(status);
    }
}
