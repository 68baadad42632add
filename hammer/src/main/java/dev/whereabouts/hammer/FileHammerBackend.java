package dev.whereabouts.hammer;

import java.nio.file.Path;

/** The file store in a directory of the run. */
record FileHammerBackend(Path dataDir) implements HammerBackend {

    @Override
    public String ipamFields() {
        return "\"datastore\":\"file\",\"file\":{\"data_dir\":\"" + dataDir + "\"}";
    }

    @Override
    public void close() {}
}
