package dev.whereabouts.ops.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code whereabouts install} on temp directories standing in for the host mounts. */
class NodeInstallerTest {

    @TempDir
    Path root;

    private Path plugin;
    private Path sa;
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void image() throws Exception {
        // The image's layout: the launcher's tree (bin/, lib/, runtime/) and the name the runtime execs.
        plugin = root.resolve("image/plugin");
        Files.createDirectories(plugin.resolve("whereabouts.d/bin"));
        Files.createDirectories(plugin.resolve("whereabouts.d/lib"));
        Files.writeString(plugin.resolve("whereabouts.d/bin/whereabouts"), "#!/bin/bash\necho launcher\n");
        Files.setPosixFilePermissions(plugin.resolve("whereabouts.d/bin/whereabouts"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(plugin.resolve("whereabouts.d/lib/engine.jar"), "v1");
        Files.createSymbolicLink(plugin.resolve("whereabouts"), Path.of("whereabouts.d/bin/whereabouts"));
        sa = root.resolve("sa");
        Files.createDirectories(sa);
        Files.writeString(sa.resolve("token"), "token-1\n");
        Files.writeString(sa.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        Files.writeString(sa.resolve("namespace"), "kube-system");
        env.put("KUBERNETES_SERVICE_HOST", "10.96.0.1");
        env.put("KUBERNETES_SERVICE_PORT", "443");
        env.put("NODENAME", "worker-1.example.com");
        env.put("WHEREABOUTS_PLUGIN_DIR", plugin.toString());
        env.put("CNI_BIN_DIR", root.resolve("host/opt/cni/bin").toString());
        env.put("CNI_CONF_DIR", root.resolve("host/etc/cni/net.d").toString());
    }

    private NodeInstaller installer() {
        return new NodeInstaller(InstallSettings.fromEnvironment(env, sa));
    }

    private Path bin() {
        return root.resolve("host/opt/cni/bin");
    }

    private Path data() {
        return root.resolve("host/etc/cni/net.d/whereabouts.d");
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void installsTheWholeNodeFootprint() throws Exception {
        installer().install();

        assertEquals("rwxr-xr-x", mode(bin().resolve("whereabouts")));
        assertEquals("#!/bin/bash\necho launcher\n", Files.readString(bin().resolve("whereabouts")));
        assertTrue(Files.isSymbolicLink(bin().resolve("whereabouts.d")));
        assertEquals("v1", Files.readString(bin().resolve("whereabouts.d/lib/engine.jar")));
        // The launcher finds its home by resolving links, which must land in the installed generation.
        assertTrue(bin().resolve("whereabouts").toRealPath().startsWith(bin().toRealPath().resolve(
                Files.readSymbolicLink(bin().resolve("whereabouts.d")).toString())));

        Path kubeconfig = data().resolve("whereabouts.kubeconfig");
        assertEquals("rw-------", mode(kubeconfig));
        Config parsed = Config.fromKubeconfig(null, kubeconfig.toFile());
        assertEquals("https://10.96.0.1:443/", parsed.getMasterUrl());
        assertEquals("token-1", parsed.getOauthToken() != null ? parsed.getOauthToken() : parsed.getAutoOAuthToken());
        assertEquals("kube-system", parsed.getNamespace());
        String text = Files.readString(kubeconfig);
        assertTrue(text.contains("certificate-authority-data: "
                + Base64.getEncoder().encodeToString(Files.readAllBytes(sa.resolve("ca.crt")))), text);

        Path flat = data().resolve("whereabouts.conf");
        assertEquals("rw-------", mode(flat));
        JsonNode conf = JsonMapper.builder().build().readTree(Files.readString(flat));
        assertEquals("kubernetes", conf.get("datastore").asString());
        assertEquals("/etc/cni/net.d/whereabouts.d", conf.get("configuration_path").asString());
        assertEquals("/etc/cni/net.d/whereabouts.d/whereabouts.kubeconfig", conf.get("kubernetes").get("kubeconfig").asString());
        assertEquals("30 4 * * *", conf.get("reconciler_cron_expression").asString());
        assertEquals("/run/whereabouts/daemon.sock", conf.get("daemon_socket").asString());

        assertEquals("worker-1.example.com", Files.readString(data().resolve("nodename")));
        assertEquals("rw-------", mode(data().resolve("nodename")));
        assertNoTempFiles();
    }

    @Test
    void reinstallingANewVersionSwitchesAtomicallyAndKeepsOnePreviousGeneration() throws Exception {
        installer().install();
        String first = Files.readSymbolicLink(bin().resolve("whereabouts.d")).toString();
        installer().install();
        assertEquals(first, Files.readSymbolicLink(bin().resolve("whereabouts.d")).toString(), "unchanged tree, no copy");

        Files.writeString(plugin.resolve("whereabouts.d/lib/engine.jar"), "v2");
        installer().install();
        String second = Files.readSymbolicLink(bin().resolve("whereabouts.d")).toString();
        assertFalse(first.equals(second));
        assertEquals("v2", Files.readString(bin().resolve("whereabouts.d/lib/engine.jar")));
        assertTrue(Files.isDirectory(bin().resolve(first)), "previous generation kept for plugins still starting");

        Files.writeString(plugin.resolve("whereabouts.d/lib/engine.jar"), "v3");
        installer().install();
        assertFalse(Files.exists(bin().resolve(first)), "older generations are removed");
        assertTrue(Files.isDirectory(bin().resolve(second)));
        assertNoTempFiles();
    }

    @Test
    void replacesAnOldPlainDirectoryAndAnUpstreamBinary() throws Exception {
        Files.createDirectories(bin().resolve("whereabouts.d"));
        Files.writeString(bin().resolve("whereabouts.d/old.jar"), "old");
        Files.writeString(bin().resolve("whereabouts"), "upstream go binary");
        Files.writeString(bin().resolve("macvlan"), "another plugin");
        installer().install();
        assertTrue(Files.isSymbolicLink(bin().resolve("whereabouts.d")));
        assertFalse(Files.exists(bin().resolve("whereabouts.d/old.jar")));
        assertTrue(Files.isSymbolicLink(bin().resolve("whereabouts")));
        assertTrue(Files.readString(bin().resolve("whereabouts")).startsWith("#!/bin/bash"));
        assertEquals("another plugin", Files.readString(bin().resolve("macvlan")));
        assertNoTempFiles();
    }

    @Test
    void installAsLinksKubeNodeAndNodeAnnotationOverTheirBinaries() throws Exception {
        Files.createDirectories(bin());
        Files.writeString(bin().resolve("kube-node"), "nordix go binary");
        env.put("WHEREABOUTS_INSTALL_AS", "kube-node, node-annotation");
        installer().install();
        for (String name : List.of("kube-node", "node-annotation")) {
            assertEquals(Path.of("whereabouts"), Files.readSymbolicLink(bin().resolve(name)));
            assertTrue(Files.readString(bin().resolve(name)).startsWith("#!/bin/bash"), name);
        }
        env.put("WHEREABOUTS_INSTALL_AS", "host-local");
        assertThrows(IllegalStateException.class, () -> InstallSettings.fromEnvironment(env, sa));
        assertNoTempFiles();
    }

    @Test
    void rewritesTheKubeconfigOnlyWhenTokenOrCaChange() throws Exception {
        NodeInstaller installer = installer();
        installer.install();
        assertFalse(installer.refreshKubeconfigIfChanged());
        Files.writeString(sa.resolve("token"), "token-2\n");
        assertTrue(installer.refreshKubeconfigIfChanged());
        assertTrue(Files.readString(data().resolve("whereabouts.kubeconfig")).contains("\"token-2\""));
        assertFalse(installer.refreshKubeconfigIfChanged());
        Files.writeString(sa.resolve("ca.crt"), "another CA");
        assertTrue(installer.refreshKubeconfigIfChanged());
        assertEquals("rw-------", mode(data().resolve("whereabouts.kubeconfig")));
    }

    @Test
    void theWatcherPicksUpARotatedToken() throws Exception {
        NodeInstaller installer = installer();
        installer.install();
        try (AutoCloseable _ = installer.watchCredentials(Duration.ofMillis(20))) {
            Files.writeString(sa.resolve("token"), "token-rotated\n");
            Path kc = data().resolve("whereabouts.kubeconfig");
            for (int i = 0; i < 500 && !Files.readString(kc).contains("token-rotated"); i++) {
                Thread.sleep(20);
            }
            assertTrue(Files.readString(kc).contains("\"token-rotated\""));
        }
    }

    @Test
    void bracketsAnIpv6ApiServerAndHonoursSettings() throws Exception {
        env.put("KUBERNETES_SERVICE_HOST", "fd00:10:96::1");
        env.put("KUBERNETES_SERVICE_PORT", "6443");
        env.put("WHEREABOUTS_NAMESPACE", "whereabouts");
        env.put("WHEREABOUTS_RECONCILER_CRON", "0 */6 * * *");
        env.put("SKIP_TLS_VERIFY", "true");
        env.remove("NODENAME");
        installer().install();
        Config parsed = Config.fromKubeconfig(null, data().resolve("whereabouts.kubeconfig").toFile());
        assertEquals("https://[fd00:10:96::1]:6443/", parsed.getMasterUrl());
        assertEquals("whereabouts", parsed.getNamespace());
        assertTrue(parsed.isTrustCerts());
        assertTrue(Files.readString(data().resolve("whereabouts.conf")).contains("\"0 */6 * * *\""));
        assertFalse(Files.exists(data().resolve("nodename")), "no NODENAME, no file");
    }

    @Test
    void refusesABadCronExpressionAndAMissingApiServer() {
        env.put("WHEREABOUTS_RECONCILER_CRON", "every day");
        assertThrows(IllegalArgumentException.class, () -> installer().install());
        env.remove("KUBERNETES_SERVICE_HOST");
        assertThrows(IllegalStateException.class, () -> InstallSettings.fromEnvironment(env, sa));
    }

    private void assertNoTempFiles() throws Exception {
        for (Path dir : List.of(bin(), data())) {
            try (Stream<Path> s = Files.list(dir)) {
                List<String> temps = s.map(p -> p.getFileName().toString())
                        .filter(n -> n.contains(".tmp-") || n.contains(".link-") || n.contains("-replaced-")).toList();
                assertEquals(List.of(), temps);
            }
        }
    }
}
