package dev.whereabouts.store.file;

import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.api.PoolKey;
import dev.whereabouts.ipam.api.Reservation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads the store's data files. A file that does not parse, or holds something other than its name
 * promises, was damaged from outside (the store only ever renames complete files into place), so it
 * is reported as an I/O failure naming the file rather than guessed around.
 */
final class DataFiles {

    private DataFiles() {}

    /** The pool in {@code file}, {@code null} when the file does not exist. */
    static PoolFile pool(Path file, PoolKey key, ParsedPools parsed) throws IOException {
        PoolFile pool = anyPool(file, parsed);
        if (pool != null && !pool.key().equals(key)) {
            throw damaged(file, "it holds pool " + pool.key() + ", not " + key, null);
        }
        return pool;
    }

    /** Whatever pool {@code file} holds, {@code null} when the file does not exist. */
    static PoolFile anyPool(Path file, ParsedPools parsed) throws IOException {
        Optional<String> text = AtomicFiles.readPresent(file);
        if (text.isEmpty()) {
            return null;
        }
        try {
            return parsed.parse(file, text.get());
        } catch (IllegalArgumentException e) {
            throw damaged(file, e.getMessage(), e);
        }
    }

    /** The reservation in {@code file}, which must be where {@code layout} puts it. */
    static Optional<Reservation> reservation(Layout layout, Path file) throws IOException {
        Optional<String> text = AtomicFiles.read(file);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Reservation r;
        try {
            r = ReservationText.parse(text.get());
        } catch (IllegalArgumentException e) {
            throw damaged(file, e.getMessage(), e);
        }
        if (!layout.reservationFile(r.networkName(), r.ip()).equals(file)) {
            throw damaged(file, "it holds the reservation of " + r.ip() + " in network '" + r.networkName() + "'",
                    null);
        }
        return Optional.of(r);
    }

    /** CNI code 5, naming the file. */
    static IpamException damaged(Path file, String why, Throwable cause) {
        return new IpamException(IpamException.IO_FAILURE, "damaged file in the file store", file + ": " + why,
                cause);
    }
}
