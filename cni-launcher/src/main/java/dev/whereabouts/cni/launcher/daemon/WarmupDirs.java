package dev.whereabouts.cni.launcher.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The temporary directories of start-up warm-ups. Their names carry the daemon's pid, so that a
 * daemon's start removes what the warm-up of a daemon killed before it finished left behind (a node
 * whose daemon restarts in a loop would otherwise fill its temporary directory). The Kubernetes
 * store's loopback warm-up names its directory the same way.
 */
final class WarmupDirs {

    static final String PREFIX = "whereabouts-warmup-";
    private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "(\\d+)-.*");
    /** Earlier daemons named theirs without a pid; no warm-up runs this long. */
    private static final Pattern OLD_NAME = Pattern.compile("whereabouts-warmup\\d+");
    private static final Duration OLD_AGE = Duration.ofHours(1);

    private WarmupDirs() {}

    /** A new directory under the temporary directory, named for this process. */
    static Path create() throws IOException {
        return Files.createTempDirectory(PREFIX + ProcessHandle.current().pid() + "-");
    }

    /**
     * Removes the warm-up directories in {@code tmp} of processes that no longer run, and those of
     * earlier versions (no pid in the name) last changed over an hour ago. A directory whose pid
     * belongs to a live process stays, even if that process is another one now.
     *
     * @return how many were removed
     */
    static int sweep(Path tmp) {
        List<Path> dead;
        try (Stream<Path> all = Files.list(tmp)) {
            dead = all.filter(p -> {
                String name = p.getFileName().toString();
                Matcher m = NAME.matcher(name);
                return m.matches() ? !alive(m.group(1)) : OLD_NAME.matcher(name).matches() && old(p);
            }).toList();
        } catch (IOException e) {
            return 0; // an unreadable temporary directory: nothing to tidy that we could
        }
        dead.forEach(WarmupDirs::delete);
        return dead.size();
    }

    /** Removes {@code dir} and everything in it, as far as it can. */
    static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }

    private static boolean old(Path dir) {
        try {
            return Files.getLastModifiedTime(dir).toInstant().isBefore(Instant.now().minus(OLD_AGE));
        } catch (IOException e) {
            return false; // gone meanwhile, or unreadable: not ours to judge
        }
    }

    private static boolean alive(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return true; // not a pid we wrote: leave it
        }
    }
}
