package dev.whereabouts.ops.install;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Puts the plugin tree into the host's CNI bin directory so that the container runtime, which may
 * exec the plugin at any moment, only ever finds a complete old or a complete new version.
 *
 * <ul>
 *   <li>A top-level directory {@code D} of the tree is copied to {@code .D-<hash>} (via a temp name
 *       and one rename), and {@code D} becomes a symbolic link to it, switched with one rename.</li>
 *   <li>A top-level symbolic link is recreated with the same target, switched with one rename
 *       (the image's {@code whereabouts -> whereabouts.d/bin/whereabouts}).</li>
 *   <li>A top-level file {@code F} is copied to a temp file beside it, forced to disk and renamed over
 *       {@code F}. Files and links come after directories, so the new executable appears only once the
 *       directories it needs are in place.</li>
 *   <li>The previous generation of each directory is kept (a plugin started just before the switch
 *       may still be loading from it); older ones are deleted.</li>
 * </ul>
 * An unchanged tree (same hash) is not copied again, so restarts are cheap.
 */
final class PluginCopier {

    private PluginCopier() {}

    /** Installs {@code source} into {@code binDir}; returns the content hash. */
    static String install(Path source, Path binDir) throws IOException {
        if (!Files.isDirectory(source)) {
            throw new IOException("plugin tree " + source + " is not a directory");
        }
        Files.createDirectories(binDir);
        String hash = hash(source);
        List<Path> top;
        try (Stream<Path> s = Files.list(source)) {
            top = s.sorted().toList();
        }
        for (Path entry : top) {
            if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                installDirectory(entry, binDir, hash);
            }
        }
        for (Path entry : top) {
            if (Files.isSymbolicLink(entry)) {
                replaceLink(binDir.resolve(entry.getFileName().toString()), Files.readSymbolicLink(entry));
            } else if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
                Path target = binDir.resolve(entry.getFileName().toString());
                Path tmp = binDir.resolve("." + entry.getFileName() + ".tmp-" + UUID.randomUUID());
                try {
                    Files.copy(entry, tmp, StandardCopyOption.COPY_ATTRIBUTES);
                    force(tmp);
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
        }
        return hash;
    }

    private static void installDirectory(Path dir, Path binDir, String hash) throws IOException {
        String name = dir.getFileName().toString();
        String generation = "." + name + "-" + hash;
        Path real = binDir.resolve(generation);
        if (!Files.isDirectory(real)) {
            Path staging = binDir.resolve(generation + ".tmp-" + UUID.randomUUID());
            copyTree(dir, staging);
            Files.move(staging, real, StandardCopyOption.ATOMIC_MOVE);
        }
        Path link = binDir.resolve(name);
        String previous = Files.isSymbolicLink(link) ? Files.readSymbolicLink(link).toString() : null;
        replaceLink(link, Path.of(generation));
        try (Stream<Path> s = Files.list(binDir)) {
            for (Path old : s.toList()) {
                String n = old.getFileName().toString();
                if (n.startsWith("." + name + "-") && !n.equals(generation) && !n.equals(previous)) {
                    deleteTree(old);
                }
            }
        }
    }

    /**
     * Makes {@code name} in {@code binDir} another name of the plugin: a link to {@code whereabouts},
     * switched with one rename over whatever was there (the plugin of that name, which we replace).
     */
    static void alias(Path binDir, String name) throws IOException {
        replaceLink(binDir.resolve(name), Path.of("whereabouts"));
    }

    /** Points {@code link} at {@code target} with one rename, whatever was there before. */
    private static void replaceLink(Path link, Path target) throws IOException {
        String name = link.getFileName().toString();
        Path newLink = link.resolveSibling("." + name + ".link-" + UUID.randomUUID());
        Files.createSymbolicLink(newLink, target);
        try {
            if (Files.isDirectory(link, LinkOption.NOFOLLOW_LINKS)) {
                // First install over a plain directory (an older layout): rename cannot replace a
                // non-empty directory, so move it aside first. This short gap happens once per node.
                Path aside = link.resolveSibling("." + name + "-replaced-" + UUID.randomUUID());
                Files.move(link, aside, StandardCopyOption.ATOMIC_MOVE);
                Files.move(newLink, link, StandardCopyOption.ATOMIC_MOVE);
                deleteTree(aside);
            } else {
                Files.move(newLink, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(newLink);
        }
    }

    static String hash(Path source) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (Stream<Path> s = Files.walk(source)) {
            for (Path p : s.sorted().toList()) {
                md.update(source.relativize(p).toString().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                if (Files.isSymbolicLink(p)) {
                    md.update(Files.readSymbolicLink(p).toString().getBytes(StandardCharsets.UTF_8));
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    md.update(Files.readAllBytes(p));
                    md.update((byte) (Files.isExecutable(p) ? 1 : 0));
                }
            }
        }
        return HexFormat.of().formatHex(md.digest(), 0, 8);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(d).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                Path t = to.resolve(from.relativize(f).toString());
                Files.copy(f, t, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                if (Files.isRegularFile(t, LinkOption.NOFOLLOW_LINKS)) {
                    force(t);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void force(Path file) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
