package dev.whereabouts.cni.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Boots the shipped layout (jlink'd runtime, every jar as a module) and proves that ServiceLoader on
 * the module path finds all three stores. Runs under failsafe because it needs the packaged tree.
 */
class LauncherLayoutTest {

    @Test
    void allThreeStoresAreFoundOnTheModulePath() throws Exception {
        var run = Plugin.run(Map.of(), "", "stores");
        assertEquals(0, run.exit(), run.toString());
        assertEquals(List.of("etcd", "file", "kubernetes"), run.stdout().lines().sorted().toList(), run.toString());
    }

    @Test
    void theTreeCarriesItsOwnRuntimeAndNoCompiler() {
        assertTrue(Files.isExecutable(Plugin.TREE.resolve("runtime/bin/java")));
        assertFalse(Files.exists(Plugin.TREE.resolve("runtime/bin/javac")));
        assertTrue(Files.isRegularFile(Plugin.TREE.resolve("lib/client.aot")));
        assertTrue(Files.isExecutable(Plugin.BIN));
    }
}
