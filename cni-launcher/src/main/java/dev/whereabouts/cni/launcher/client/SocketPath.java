package dev.whereabouts.cni.launcher.client;

import dev.whereabouts.ipam.engine.ConfigFiles;
import dev.whereabouts.ipam.engine.IpamConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Finds the daemon socket without a JSON library: env {@code WHEREABOUTS_DAEMON_SOCKET}, else the
 * string value of the first {@code "daemon_socket"} key in stdin, else the one in the node's flat
 * file (where the installer writes it), else the default.
 *
 * <p>The scan only has to agree with the daemon's real parser for well-formed configs; a config
 * that fools it connects to a socket that does not exist, and the call then runs in-process where
 * the full parser reports the real problem.
 */
public final class SocketPath {

    /** Same default as the engine's {@code daemon_socket}. */
    public static final String DEFAULT = IpamConfig.DEFAULT_DAEMON_SOCKET;
    static final String ENV = "WHEREABOUTS_DAEMON_SOCKET";

    private SocketPath() {
    }

    /** The socket to try for this call. */
    public static Path find(Map<String, String> env, byte[] stdin) {
        return find(env, stdin, Path.of(ConfigFiles.NODE_FLAT_FILE));
    }

    static Path find(Map<String, String> env, byte[] stdin, Path flatFile) {
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return Path.of(fromEnv);
        }
        String fromConfig = scan(new String(stdin, StandardCharsets.UTF_8), "daemon_socket");
        if (fromConfig == null || fromConfig.isEmpty()) {
            fromConfig = fromFlatFile(flatFile);
        }
        return Path.of(fromConfig == null || fromConfig.isEmpty() ? DEFAULT : fromConfig);
    }

    /** A few hundred bytes, read only when stdin names no socket; a missing file is the usual case off Kubernetes. */
    private static String fromFlatFile(Path flatFile) {
        try {
            return scan(Files.readString(flatFile), "daemon_socket");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The string value after {@code "key"} and a colon, or null. Handles the usual escapes. */
    static String scan(String json, String key) {
        String needle = '"' + key + '"';
        int at = json.indexOf(needle);
        while (at >= 0) {
            int i = skipSpace(json, at + needle.length());
            if (i < json.length() && json.charAt(i) == ':') {
                i = skipSpace(json, i + 1);
                return i < json.length() && json.charAt(i) == '"' ? readString(json, i + 1) : null;
            }
            at = json.indexOf(needle, at + 1);
        }
        return null;
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static String readString(String s, int i) {
        var sb = new StringBuilder();
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c == '"') {
                return sb.toString();
            }
            if (c == '\\' && i < s.length()) {
                char e = s.charAt(i++);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (i + 4 > s.length()) {
                            return null;
                        }
                        sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> sb.append(e);
                }
            } else {
                sb.append(c);
            }
        }
        return null;
    }
}
