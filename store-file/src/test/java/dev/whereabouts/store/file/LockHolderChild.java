package dev.whereabouts.store.file;

import java.nio.file.Path;
import java.time.Duration;

/** Test child for {@link MultiProcessTest}: takes the store lock, says so, and sits on it until killed. */
final class LockHolderChild {

    private LockHolderChild() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]).toRealPath();
        DirLock lock = DirLock.of(dir.resolve("lock"));
        lock.call(Duration.ofSeconds(30), () -> {
            System.out.println("locked");
            System.out.flush();
            try {
                Thread.sleep(Duration.ofMinutes(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
    }
}
