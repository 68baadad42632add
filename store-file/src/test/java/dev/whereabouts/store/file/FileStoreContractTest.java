package dev.whereabouts.store.file;

import dev.whereabouts.ipam.spi.IpamStore;
import dev.whereabouts.store.tck.StoreContract;
import dev.whereabouts.store.tck.StoreFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Every law of the store contract kit, against a fresh data directory per law. */
class FileStoreContractTest extends StoreContract {

    @Override
    protected StoreFixture createFixture() throws Exception {
        Path dir = Files.createTempDirectory("file-store-tck");
        return new StoreFixture() {
            @Override
            public IpamStore open() {
                return Stores.open(dir);
            }

            @Override
            public void close() throws IOException {
                TempDirs.deleteRecursively(dir);
            }
        };
    }
}
