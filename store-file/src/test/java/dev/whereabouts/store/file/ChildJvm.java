package dev.whereabouts.store.file;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a test main class in a separate JVM, on this JVM's class path. */
final class ChildJvm {

    private ChildJvm() {}

    /** Starts {@code mainClass} with {@code args}; stdout and stderr go to files named after {@code name}. */
    static Process start(Class<?> mainClass, Path logDir, String name, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xshare:auto");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectOutput(stdout(logDir, name).toFile())
                .redirectError(logDir.resolve(name + ".err").toFile())
                .start();
    }

    static Path stdout(Path logDir, String name) {
        return logDir.resolve(name + ".out");
    }
}
