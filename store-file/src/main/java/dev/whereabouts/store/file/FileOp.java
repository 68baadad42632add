package dev.whereabouts.store.file;

import java.nio.file.Path;

/** One step of a commit: replace a data file or delete it. */
sealed interface FileOp {

    /** The file this step touches. */
    Path path();

    /** Replace {@code path} with {@code text}. */
    record Write(Path path, String text) implements FileOp {}

    /** Delete {@code path} if it exists. */
    record Delete(Path path) implements FileOp {}
}
