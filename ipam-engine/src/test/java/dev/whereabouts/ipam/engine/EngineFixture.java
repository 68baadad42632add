package dev.whereabouts.ipam.engine;

import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a test of the engine through {@link Ipam} starts from: a backend of the test store of its
 * own (so that pools and node objects never leak between tests), a node journal in a fresh
 * directory, and an engine that is closed after each test.
 */
abstract class EngineFixture {

    @TempDir
    Path attachments;

    final String backend = UUID.randomUUID().toString();
    final Ipam ipam = Conf.engine();

    @AfterEach
    void closeTheEngine() {
        ipam.close();
    }

    /** A configuration on this test's backend and journal. */
    Conf conf() {
        return Conf.on(backend, attachments);
    }

    /** This test's backend, to look at or to break. */
    TestStore store() {
        return TestStoreProvider.backend(backend);
    }
}
