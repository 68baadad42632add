package dev.whereabouts.bench.burst;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One exec of a CNI IPAM plugin binary exactly as a container runtime makes it: a clean
 * environment with the {@code CNI_*} variables and the pod in {@code CNI_ARGS}, the network
 * configuration on stdin, the result or error on stdout.
 *
 * @param exit the process's exit code
 * @param stdout the CNI result (ADD) or error object
 * @param stderr the plugin's log lines
 * @param nanos wall time from exec to exit
 * @param started {@link System#nanoTime()} at the exec, to place the call on the phase's timeline
 */
public record CniCall(int exit, String stdout, String stderr, long nanos, long started) {

    private static final Pattern ADDRESS = Pattern.compile("\"address\"\\s*:\\s*\"([^\"/]+)/");
    private static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*(\\d+)");
    private static final long HANG_SECONDS = 300;

    /** Runs {@code binary} for {@code command} of container {@code containerId} with {@code config} on stdin. */
    public static CniCall run(Path binary, String command, String containerId, String config) {
        var pb = new ProcessBuilder(binary.toString());
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", containerId);
        env.put("CNI_NETNS", "/proc/self/ns/net");
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_PATH", "/usr/lib/cni");
        env.put("CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAMESPACE=burst;K8S_POD_NAME=pod-" + containerId);
        long start = System.nanoTime();
        try {
            Process p = pb.start();
            // stderr is drained on its own thread: a chatty plugin must not block on a full pipe
            // while we wait for its stdout.
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()),
                    Thread::startVirtualThread);
            try (var in = p.getOutputStream()) {
                in.write(config.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the plugin may exit before reading stdin; its exit code tells
            }
            String out = drain(p.getInputStream());
            if (!p.waitFor(HANG_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new CniCall(-1, out, "hung for " + HANG_SECONDS + " s", System.nanoTime() - start, start);
            }
            return new CniCall(p.exitValue(), out, err.join(), System.nanoTime() - start, start);
        } catch (IOException | RuntimeException e) {
            // A broken pipe or a vanished process is this call's failure, not the burst's end.
            return new CniCall(-1, "", "exec failed: " + e, System.nanoTime() - start, start);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CniCall(-1, "", "interrupted", System.nanoTime() - start, start);
        }
    }

    /**
     * Runs {@code /bin/true} through {@link #run} {@code times} times, {@code callers} at once, so
     * that this JVM's exec path (spawn, pipes, reaper) is compiled before anything is measured.
     * Why: a container runtime is a long-running process whose exec path is warm, while a fresh
     * harness ran most of a burst's spawns interpreted and charged that to the burst (the harness's
     * CPU per ADD was about half of a plugin process's).
     */
    public static void warmUp(int times, int callers) {
        Path nothing = Path.of("/bin/true");
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < callers; c++) {
                int caller = c;
                pool.execute(() -> {
                    for (int i = caller; i < times; i += callers) {
                        run(nothing, "ADD", "harness-warmup-" + i, "{}");
                    }
                });
            }
        }
    }

    /** Whether the call succeeded. */
    public boolean ok() {
        return exit == 0;
    }

    /** The addresses in an ADD result, without prefix length. */
    public List<String> addresses() {
        List<String> ips = new ArrayList<>();
        Matcher m = ADDRESS.matcher(stdout);
        while (m.find()) {
            ips.add(m.group(1));
        }
        return ips;
    }

    /** How a failed call failed: {@code code 11}, or {@code exit N} when stdout holds no CNI error. */
    public String failure() {
        Matcher m = CODE.matcher(stdout);
        return m.find() ? "code " + m.group(1) : "exit " + exit;
    }

    private static String drain(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
