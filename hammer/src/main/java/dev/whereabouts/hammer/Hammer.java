package dev.whereabouts.hammer;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The collision hammer's command line.
 *
 * <pre>
 * java -cp "$(cat hammer/target/classpath)" dev.whereabouts.hammer.Hammer \
 *     --store file|etcd|kubernetes --workers 8 --ops 100000 --prefix 26 --seed 7 --kills-per-second 0.5
 * </pre>
 *
 * Prints one line, {@code ops=… adds=… dels=… killed=… duplicates=0 lost=0 leaked=0}, and exits
 * non-zero on any violation.
 */
public final class Hammer {

    private Hammer() {}

    public static void main(String[] args) throws Exception {
        HammerOptions options = HammerOptions.parse(args, Files.createTempDirectory("hammer-"));
        HammerReport report = new HammerRun(options).call();
        System.out.println(report.summary());
        report.violations().forEach(v -> System.err.println("violation: " + v));
        System.exit(report.violations().isEmpty() ? 0 : 1);
    }

    /** Runs the hammer in the calling JVM, for tests. */
    public static HammerReport run(String... args) throws Exception {
        return new HammerRun(HammerOptions.parse(args, Files.createTempDirectory("hammer-"))).call();
    }

    /** The work directory a test should use. */
    static Path workDir() throws java.io.IOException {
        return Files.createTempDirectory("hammer-");
    }
}
