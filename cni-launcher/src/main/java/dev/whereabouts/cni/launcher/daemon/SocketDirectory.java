package dev.whereabouts.cni.launcher.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The directory of the daemon socket must be private to the daemon's user: it is the only barrier
 * between other local users and a process that hands out addresses as root.
 */
final class SocketDirectory {

    private SocketDirectory() {
    }

    /** Creates {@code dir} as 0700, or tightens an existing one that we own; refuses shared ones. */
    static void prepare(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            Files.createDirectories(dir);
        }
        int owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int self = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        int mode = (Integer) Files.getAttribute(dir, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if (owner != self || (mode & 01000) != 0 || Files.isSymbolicLink(dir)) {
            throw new IOException("socket directory " + dir
                    + " must be a directory of its own owned by the daemon user (not /tmp or a symlink)");
        }
        var perms = Files.getPosixFilePermissions(dir);
        if (!perms.equals(java.util.EnumSet.of(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE))) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }
}
