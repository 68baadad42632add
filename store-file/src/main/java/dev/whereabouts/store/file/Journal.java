package dev.whereabouts.store.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A redo log that makes a commit touching several files all or nothing.
 *
 * <p>Before touching any data file, a commit writes every step, with each file's complete new
 * content, to {@code <data_dir>/journal}. It then performs the steps and marks the journal done by
 * writing {@code fin} over the {@code end} of its closing line. If the process dies in between, the
 * next holder of the store lock finds a journal that ends in {@code end} and performs the steps
 * again: each step is a whole-file replacement or a deletion, so doing it twice is the same as doing
 * it once. The commit therefore happened exactly when the journal's closing line was written;
 * before that nothing changed.
 *
 * <p>Why one file written over in place, not a file created and deleted by every commit: on ext4
 * without its own journal, every new file makes the kernel skip each inode of its group deleted in
 * the last minutes, and the commit journal was half the files an ADD+DEL cycle created and deleted.
 * A build without any commit journal used 15 % less daemon CPU per call than one that created and
 * deleted it ({@code docs/launcher.md}).
 */
final class Journal {

    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
    static final String KIND = "journal";
    /** Written over the {@code end } of the closing line once every step is done. */
    private static final byte[] DONE = "fin ".getBytes(StandardCharsets.ISO_8859_1);
    /** Enough of the file's end to hold a whole closing line ({@code end <count>}). */
    private static final int TAIL = 32;

    private Journal() {}

    /**
     * Writes the journal, performs the steps in order, then marks the journal done.
     *
     * <p>Neither the journal nor the steps it covers need a temp file and a rename (which on ext4
     * forces data out when it replaces a file). The journal is written over the last one from its
     * start and cut to its new length afterwards, never to zero: a writer killed before that is
     * done leaves either a prefix (a text cut short, dropped) or the new text followed by the end of
     * the last one, which closes with {@code fin} (nothing to do). Either way no step had run,
     * since the steps start only once the whole journal is written. A step cut short is done again
     * from the whole journal by the next lock holder, before anyone reads its file (every read
     * takes the lock).
     */
    static void commit(Layout layout, List<FileOp> steps) throws IOException {
        byte[] text = text(layout, steps).getBytes(StandardCharsets.ISO_8859_1);
        try (FileChannel journal = AtomicFiles.openToWrite(layout.journal())) {
            AtomicFiles.overwrite(journal, text);
            apply(layout, steps);
            markDone(journal, text);
        }
    }

    /** The journal's content for {@code steps}. */
    static String text(Layout layout, List<FileOp> steps) {
        List<List<String>> records = new ArrayList<>(steps.size());
        for (FileOp step : steps) {
            String rel = layout.relative(step.path());
            records.add(switch (step) {
                case FileOp.Write w -> List.of("write", rel, w.text());
                case FileOp.Delete d -> List.of("delete", rel);
            });
        }
        return RecordText.write(KIND, records);
    }

    /**
     * Finishes a commit that a dead process left half done. Call with the store lock held.
     *
     * @return whether there was one
     * @throws IllegalArgumentException when a complete journal cannot be read: it was written
     *     whole before any step ran, so damage means outside interference, and guessing could hand
     *     out an address twice
     */
    static boolean recover(Layout layout) throws IOException {
        Optional<byte[]> pending = pending(layout.journal());
        if (pending.isEmpty()) {
            return false;
        }
        String text = new String(pending.get(), StandardCharsets.ISO_8859_1);
        if (RecordText.cutShort(text)) {
            // A killed writer had not started the steps. After a power loss (nothing is synced) they
            // may have partly reached the disk: at worst a reservation no pool entry backs, whose
            // holder died with the node, and which the reservation sweep removes.
            LOG.warn("discarding {}: cut short by a writer killed while writing it, or by a power loss ({} bytes); "
                    + "its commit is dropped",
                    layout.journal(), text.length());
            AtomicFiles.delete(layout.journal());
            return false;
        }
        List<FileOp> steps = new ArrayList<>();
        for (List<String> r : RecordText.read(KIND, text)) {
            switch (r.getFirst()) {
                case "write" -> {
                    requireSize(r, 3);
                    steps.add(new FileOp.Write(layout.fromRelative(r.get(1)), r.get(2)));
                }
                case "delete" -> {
                    requireSize(r, 2);
                    steps.add(new FileOp.Delete(layout.fromRelative(r.get(1))));
                }
                default -> throw new IllegalArgumentException("unknown journal step '" + r.getFirst() + "'");
            }
        }
        LOG.warn("finishing an interrupted commit of {} step(s) from {}", steps.size(), layout.journal());
        apply(layout, steps);
        try (FileChannel journal = AtomicFiles.openToWrite(layout.journal())) {
            markDone(journal, pending.get());
        }
        return true;
    }

    /**
     * Whether {@code journal} is done with: absent, or closed by {@code fin}. Only its last bytes
     * are read, since every lock holder asks.
     */
    static boolean finished(Path journal) throws IOException {
        return pending(journal).isEmpty();
    }

    /** The whole text of a journal that is not done with (see {@link #finished}). */
    private static Optional<byte[]> pending(Path journal) throws IOException {
        try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > 0 && closesWithDone(readAt(ch, Math.max(0, size - TAIL), (int) Math.min(size, TAIL)))) {
                return Optional.empty();
            }
            if (size > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("journal of " + size + " bytes");
            }
            return Optional.of(readAt(ch, 0, (int) size));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private static byte[] readAt(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining() && ch.read(buf, position + buf.position()) >= 0) {
            // a file that shrank meanwhile ends the loop with what there is (only outside interference)
        }
        return Arrays.copyOf(buf.array(), buf.position());
    }

    private static boolean closesWithDone(byte[] tail) {
        int n = tail.length;
        if (n < DONE.length + 2 || tail[n - 1] != '\n') {
            return false;
        }
        int start = closingLine(tail);
        return start > 0 && Arrays.equals(tail, start, start + DONE.length, DONE, 0, DONE.length);
    }

    /** Where the last line of {@code text} (which ends in a newline) starts; 0 when it is the only line. */
    private static int closingLine(byte[] text) {
        for (int i = text.length - 2; i >= 0; i--) {
            if (text[i] == '\n') {
                return i + 1;
            }
        }
        return 0;
    }

    private static void markDone(FileChannel journal, byte[] text) throws IOException {
        ByteBuffer done = ByteBuffer.wrap(DONE);
        long at = closingLine(text);
        while (done.hasRemaining()) {
            journal.write(done, at + done.position());
        }
    }

    private static void apply(Layout layout, List<FileOp> steps) throws IOException {
        for (FileOp step : steps) {
            switch (step) {
                case FileOp.Write w -> AtomicFiles.overwrite(w.path(), w.text());
                case FileOp.Delete d -> AtomicFiles.delete(d.path());
            }
        }
    }

    private static void requireSize(List<String> record, int size) {
        if (record.size() != size) {
            throw new IllegalArgumentException("journal step '" + record.getFirst() + "' is malformed");
        }
    }
}
