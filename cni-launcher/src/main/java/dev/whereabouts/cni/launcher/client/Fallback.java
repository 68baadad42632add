package dev.whereabouts.cni.launcher.client;

import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.reflect.InvocationTargetException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Runs a call in this process when no daemon answers: loads the full plugin (engine, stores,
 * logging) as a module layer from the {@code lib} directory next to this jar and hands it the call.
 *
 * <p>The client itself runs on the class path with only its own jar, so that the fast path never
 * resolves the sixty-odd modules of the stores; they are resolved here, on demand. Only
 * {@code java.base} types cross the boundary (a map and byte arrays), because the layer holds its
 * own copy of every launcher class.
 */
public final class Fallback {

    static final String MODULE = "dev.whereabouts.cni.launcher";
    static final String ENTRY = "dev.whereabouts.cni.launcher.InProcess";

    private Fallback() {
    }

    /** Runs the call with the full plugin and returns what the process must print. */
    public static Frames.Reply run(Frames.Request request) throws IOException {
        try {
            ClassLoader loader = layer(libDir()).findLoader(MODULE);
            var entry = Class.forName(ENTRY, true, loader)
                    .getMethod("handle", Map.class, byte[].class);
            byte[] reply = (byte[]) entry.invoke(null, request.env(), request.stdin());
            return Frames.decodeReply(reply);
        } catch (InvocationTargetException e) {
            throw new IOException("in-process plugin failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException("cannot load the in-process plugin: " + e, e);
        }
    }

    /** The directory that holds this jar and every other jar of the plugin. */
    static Path libDir() throws IOException {
        String override = System.getProperty("whereabouts.lib");
        if (override != null) {
            return Path.of(override);
        }
        try {
            var src = Fallback.class.getProtectionDomain().getCodeSource().getLocation().toURI();
            return Path.of(src).getParent();
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    static ModuleLayer layer(Path lib) {
        ModuleLayer boot = ModuleLayer.boot();
        ModuleFinder finder = ModuleFinder.of(lib);
        // Every jar is a root, as with --add-modules ALL-MODULE-PATH: explicit modules that only
        // automatic modules use (guava under gRPC) are not resolved otherwise.
        Set<String> roots = new java.util.HashSet<>();
        finder.findAll().forEach(m -> roots.add(m.descriptor().name()));
        Configuration cf = boot.configuration().resolveAndBind(finder, ModuleFinder.of(), roots);
        return boot.defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
    }
}
