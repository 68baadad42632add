package dev.whereabouts.store.file;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A redo log that makes a commit touching several files all or nothing.
 *
 * <p>Before touching any data file, a commit writes every step, with each file's complete new
 * content, to {@code <data_dir>/journal} (atomically, like any other file). It then performs the
 * steps and deletes the journal. If the process dies in between, the next holder of the store lock
 * finds the journal and performs the steps again: each step is a whole-file replacement or a
 * deletion, so doing it twice is the same as doing it once. The commit therefore happened exactly
 * when the journal was renamed into place; before that nothing changed.
 */
final class Journal {

    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
    static final String KIND = "journal";

    private Journal() {}

    /**
     * Writes the journal, performs the steps in order, then removes the journal.
     *
     * <p>Neither the journal nor the steps it covers need a temp file and a rename (which on ext4
     * forces data out when it replaces a file): a journal cut short is dropped before any step ran,
     * and a step cut short is done again from the whole journal by the next lock holder, before
     * anyone reads its file (every read takes the lock).
     */
    static void commit(Layout layout, List<FileOp> steps) throws IOException {
        String text = text(layout, steps);
        if (!AtomicFiles.create(layout.journal(), text)) {
            AtomicFiles.write(layout.journal(), text); // recovery removes any journal before a commit: not expected
        }
        apply(layout, steps);
        AtomicFiles.delete(layout.journal());
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
     *     atomically, so damage means outside interference, and guessing could hand out an address
     *     twice
     */
    static boolean recover(Layout layout) throws IOException {
        if (!Files.exists(layout.journal())) {
            // the caller holds the lock, whose file sits beside the journal: "not there" means absent
            return false;
        }
        Optional<String> text = AtomicFiles.read(layout.journal());
        if (text.isEmpty()) {
            return false;
        }
        if (RecordText.cutShort(text.get())) {
            // A killed writer had not started the steps. After a power loss (nothing is synced) they
            // may have partly reached the disk: at worst a reservation no pool entry backs, whose
            // holder died with the node, and which the reservation sweep removes.
            LOG.warn("discarding {}: cut short by a writer killed while writing it, or by a power loss ({} bytes); "
                    + "its commit is dropped",
                    layout.journal(), text.get().length());
            AtomicFiles.delete(layout.journal());
            return false;
        }
        List<FileOp> steps = new ArrayList<>();
        for (List<String> r : RecordText.read(KIND, text.get())) {
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
        AtomicFiles.delete(layout.journal());
        return true;
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
