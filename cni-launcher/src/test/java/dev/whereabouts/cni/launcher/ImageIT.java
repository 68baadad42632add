package dev.whereabouts.cni.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The container image tarball that {@code package} builds: a well-formed OCI layout (and Docker
 * archive) whose digests hold, and a root file system that runs the plugin with nothing from the
 * host, proven by running it chrooted into the unpacked layer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageIT {

    private static final JsonMapper JSON = JsonMapper.shared();

    Path image;
    Path rootfs;
    Path layout;

    @BeforeAll
    void unpack() throws Exception {
        try (var found = Files.list(Plugin.TREE.getParent())) {
            image = found.filter(p -> p.getFileName().toString().matches("whereabouts-image-.*\\.tar"))
                    .findFirst().orElseThrow(() -> new AssertionError("no image tarball next to " + Plugin.TREE));
        }
        layout = Files.createTempDirectory("wa-image");
        sh("tar", "-xf", image.toString(), "-C", layout.toString());
        rootfs = layout.resolve("rootfs");
        Files.createDirectories(rootfs);
        sh("tar", "-xzf", layer().toString(), "-C", rootfs.toString());
    }

    @AfterAll
    void removeUnpacked() throws Exception {
        sh("rm", "-rf", layout.toString());
    }

    private JsonNode read(Path p) throws IOException {
        return JSON.readTree(Files.readString(p));
    }

    private Path blob(String digest) {
        return layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
    }

    private JsonNode manifest() throws IOException {
        JsonNode index = read(layout.resolve("index.json"));
        assertEquals(1, index.path("manifests").size());
        JsonNode entry = index.path("manifests").get(0);
        Path manifest = blob(entry.path("digest").stringValue());
        assertEquals(entry.path("size").asLong(), Files.size(manifest));
        return read(manifest);
    }

    private Path layer() throws IOException {
        return blob(manifest().path("layers").get(0).path("digest").stringValue());
    }

    @Test
    void everyDigestAndSizeHoldsInBothFormats() throws Exception {
        assertEquals("1.0.0", read(layout.resolve("oci-layout")).path("imageLayoutVersion").stringValue());
        JsonNode manifest = manifest();
        JsonNode configRef = manifest.path("config");
        JsonNode layerRef = manifest.path("layers").get(0);
        for (JsonNode ref : List.of(configRef, layerRef)) {
            Path blob = blob(ref.path("digest").stringValue());
            assertEquals(ref.path("size").asLong(), Files.size(blob));
            assertEquals(ref.path("digest").stringValue(), "sha256:" + sha256(Files.newInputStream(blob)));
        }
        JsonNode config = read(blob(configRef.path("digest").stringValue()));
        String diffId = "sha256:" + sha256(new GZIPInputStream(Files.newInputStream(layer())));
        assertEquals(diffId, config.path("rootfs").path("diff_ids").get(0).stringValue(),
                "diff_id is the digest of the uncompressed layer");
        assertEquals("/opt/whereabouts/plugin/whereabouts", config.path("config").path("Entrypoint").get(0).stringValue());

        JsonNode docker = read(layout.resolve("manifest.json")).get(0);
        assertEquals("blobs/sha256/" + configRef.path("digest").stringValue().substring(7), docker.path("Config").stringValue());
        assertEquals("blobs/sha256/" + layerRef.path("digest").stringValue().substring(7),
                docker.path("Layers").get(0).stringValue());
        assertTrue(docker.path("RepoTags").get(0).stringValue().startsWith("ghcr.io/whereabouts-java/whereabouts:"));
    }

    @Test
    void theLayoutIsWhatTheInstallerCopies() throws Exception {
        Path plugin = rootfs.resolve("opt/whereabouts/plugin");
        assertEquals(Path.of("whereabouts.d/bin/whereabouts"), Files.readSymbolicLink(plugin.resolve("whereabouts")));
        assertTrue(Files.isExecutable(plugin.resolve("whereabouts.d/runtime/bin/java")));
        assertTrue(Files.isRegularFile(plugin.resolve("whereabouts.d/lib/client.aot")));
    }

    @Test
    void theImageRunsThePluginWithNothingFromTheHost() throws Exception {
        var stores = inImage(Map.of(), "", "/opt/whereabouts/plugin/whereabouts", "stores");
        assertEquals(new Plugin.Run(0, "etcd\nfile\nkubernetes\n", ""), stores);

        // The per-call client with the trained cache demanded: a cache that does not fit the image's
        // paths fails here instead of being dropped silently.
        var version = inImage(Map.of("CNI_COMMAND", "VERSION", "WHEREABOUTS_CLIENT_OPTS", "-XX:AOTMode=on"),
                "{\"cniVersion\":\"1.0.0\"}", "/opt/whereabouts/plugin/whereabouts");
        assertEquals(0, version.exit(), version.toString());
        assertTrue(version.stdout().contains("\"supportedVersions\""), version.toString());

        String config = """
                {"cniVersion":"1.0.0","name":"img","type":"bridge","ipam":{"type":"whereabouts","datastore":"file",
                 "file":{"data_dir":"/tmp/data"},"attachments_dir":"/tmp/attachments",
                 "daemon_socket":"/run/whereabouts/daemon.sock","range":"10.66.0.0/24"}}""";
        Map<String, String> add = Plugin.env("ADD", "imgpod");
        var result = inImage(add, config, "/opt/whereabouts/plugin/whereabouts");
        assertEquals(0, result.exit(), result.toString());
        assertTrue(result.stdout().contains("\"10.66.0.1/24\""), result.stdout());

        Files.writeString(rootfs.resolve("tmp/ctl.conf"), "{\"datastore\":\"file\",\"file\":{\"data_dir\":\"/tmp/data\"}}");
        var who = inImage(Map.of(), "", "/opt/whereabouts/plugin/whereabouts", "ctl", "--config", "/tmp/ctl.conf",
                "-o", "json", "who", "10.66.0.1");
        assertEquals(0, who.exit(), who.toString());
        assertTrue(who.stdout().contains("imgpod"), who.stdout());
        assertEquals("", who.stderr(), "the CLI logs only errors unless asked for more");
    }

    /** Runs a command chrooted into the image's root, with a /proc of its own as a container has. */
    private Plugin.Run inImage(Map<String, String> env, String stdin, String... command)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("unshare", "--fork", "--pid", "--mount",
                "--mount-proc=" + rootfs.resolve("proc"), "chroot", rootfs.toString()));
        cmd.addAll(List.of(command));
        return Plugin.exec(Plugin.builder(cmd, env), stdin);
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (var d = new DigestInputStream(in, md)) {
            d.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void sh(String... command) throws IOException, InterruptedException {
        var run = Plugin.exec(Plugin.builder(List.of(command), Map.of()), "");
        assertEquals(0, run.exit(), run.toString());
    }
}
