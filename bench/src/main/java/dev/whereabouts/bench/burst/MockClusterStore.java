package dev.whereabouts.bench.burst;

import dev.whereabouts.bench.load.MockApiServer;
import dev.whereabouts.ipam.spi.StoreConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * fabric8's CRUD mock API server in its own JVM ({@link MockApiMain}), reached by the plugins
 * through a kubeconfig as the installer writes one. Requests are counted by the mock itself, by
 * method and by status; {@code 409} answers are the optimistic-concurrency conflicts.
 */
public final class MockClusterStore implements ClusterStore {

    private final Process process;
    private final BufferedReader replies;
    private final Writer commands;
    private final Path kubeconfig;

    /** Starts the mock process with this JVM's class path, logging to {@code dir/mock.log}. */
    public MockClusterStore(Path dir) {
        try {
            Files.createDirectories(dir);
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            process = new ProcessBuilder(java.toString(), "--sun-misc-unsafe-memory-access=allow",
                    "-cp", System.getProperty("java.class.path"), MockApiMain.class.getName())
                    .redirectError(dir.resolve("mock.log").toFile()).start();
            // A harness stopped by a signal must not leave the mock behind.
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
            replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            commands = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            String ready = replies.readLine();
            if (ready == null || !ready.startsWith("port ")) {
                throw new IllegalStateException("mock API server did not start (" + ready + "); see " + dir.resolve("mock.log"));
            }
            kubeconfig = dir.resolve("kubeconfig.yaml");
            Files.writeString(kubeconfig, MockApiServer.kubeconfig(Integer.parseInt(ready.substring(5).strip())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the mock API server", e);
        }
    }

    @Override
    public String name() {
        return "kubernetes-mock";
    }

    @Override
    public String ipamFields(boolean watchPools) {
        return "\"datastore\":\"kubernetes\",\"kubernetes\":{\"kubeconfig\":\"%s\"%s}"
                .formatted(kubeconfig, watchPools ? ",\"watch_pools\":true" : "");
    }

    @Override
    public StoreConfig storeConfig() {
        return new StoreConfig(Map.of("kubernetes", Map.of("kubeconfig", kubeconfig.toString())));
    }

    @Override
    public synchronized Map<String, Long> counters() {
        try {
            commands.write("counts\n");
            commands.flush();
            Map<String, Long> counts = new TreeMap<>();
            for (String pair : replies.readLine().split(" ")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    counts.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
                }
            }
            return counts;
        } catch (IOException e) {
            throw new UncheckedIOException("mock API server gone", e);
        }
    }

    @Override
    public void close() {
        try {
            commands.close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public boolean serverStartsCold() {
        return true;
    }

    @Override
    public java.util.OptionalLong serverPid() {
        return java.util.OptionalLong.of(process.pid());
    }
}
