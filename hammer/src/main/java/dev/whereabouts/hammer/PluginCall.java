package dev.whereabouts.hammer;

import dev.whereabouts.ipam.api.AttachmentId;
import dev.whereabouts.ipam.api.IpamException;
import dev.whereabouts.ipam.api.Owner;
import dev.whereabouts.ipam.engine.Ipam;
import dev.whereabouts.ipam.engine.IpamConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One ADD or DEL as the container runtime would make it: either by exec'ing the {@code whereabouts}
 * binary, or by running the engine in this process (the binary's in-process path).
 */
final class PluginCall implements AutoCloseable {

    /** What a call returned: the address on a successful ADD, or the CNI error code. */
    record Outcome(boolean ok, String ip, int code) {}

    private static final Pattern ADDRESS = Pattern.compile("\"address\"\\s*:\\s*\"([^\"/]+)/");
    private static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*(\\d+)");

    private final byte[] config;
    private final Path plugin;
    private final Ipam ipam;

    PluginCall(Path configFile, Path plugin) throws IOException {
        this.config = Files.readAllBytes(configFile);
        this.plugin = plugin;
        this.ipam = plugin == null ? Ipam.withDiscoveredStores() : null;
    }

    Outcome add(String containerId, String ifName, String podName) throws IOException, InterruptedException {
        return call("ADD", containerId, ifName, podName);
    }

    Outcome del(String containerId, String ifName, String podName) throws IOException, InterruptedException {
        return call("DEL", containerId, ifName, podName);
    }

    private Outcome call(String command, String containerId, String ifName, String podName)
            throws IOException, InterruptedException {
        String cniArgs = "IgnoreUnknown=1;K8S_POD_NAMESPACE=hammer;K8S_POD_NAME=" + podName;
        if (plugin != null) {
            return exec(command, containerId, ifName, cniArgs);
        }
        try {
            IpamConfig cfg = ipam.load(config, cniArgs, Map.of());
            if (command.equals("ADD")) {
                return parse(ipam.add(cfg, new Owner(containerId, ifName, "hammer/" + podName)).toJson("1.1.0"), 0);
            }
            ipam.del(cfg, new AttachmentId(containerId, ifName));
            return new Outcome(true, "-", 0);
        } catch (IpamException e) {
            return new Outcome(false, "-", e.code());
        }
    }

    private Outcome exec(String command, String containerId, String ifName, String cniArgs)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(plugin.toString()).redirectError(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> env = pb.environment();
        env.putAll(new HashMap<>(Map.of("CNI_COMMAND", command, "CNI_CONTAINERID", containerId,
                "CNI_IFNAME", ifName, "CNI_NETNS", "/var/run/netns/hammer", "CNI_PATH", plugin.getParent().toString(),
                "CNI_ARGS", cniArgs)));
        Process p = pb.start();
        p.getOutputStream().write(config);
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        return parse(out, exit);
    }

    private static Outcome parse(String stdout, int exit) {
        if (exit == 0) {
            Matcher m = ADDRESS.matcher(stdout);
            return new Outcome(true, m.find() ? m.group(1) : "-", 0);
        }
        Matcher m = CODE.matcher(stdout);
        return new Outcome(false, "-", m.find() ? Integer.parseInt(m.group(1)) : -1);
    }

    @Override
    public void close() {
        if (ipam != null) {
            ipam.close();
        }
    }
}
