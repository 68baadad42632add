package dev.whereabouts.cni.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One entry of {@code bad-inputs.jsonl}: an input the plugin must refuse, and the CNI code it must
 * refuse it with. An entry starts from a good ADD on the file store and bends one thing: the
 * environment ({@code env}, a null value unsets), the top level ({@code top}, {@code drop}), the
 * {@code ipam} section ({@code ipam}, {@code dropIpam}), or the bytes themselves ({@code stdinRaw},
 * {@code stdinBase64}, {@code appendBase64}, {@code padBytes}).
 */
record BadInput(String name, int code, JsonNode spec) {

    private static final JsonMapper JSON = JsonMapper.shared();

    /** Where a call's files may go; the corpus refers to them as ${ROOT}, ${DATA} and ${ATTACH}. */
    record Dirs(Path root, Path data, Path attachments) {
        String substitute(String text) {
            return text.replace("${ROOT}", root.toString()).replace("${DATA}", data.toString())
                    .replace("${ATTACH}", attachments.toString());
        }
    }

    static List<BadInput> corpus() {
        try (var in = BadInput.class.getResourceAsStream("/bad-inputs.jsonl")) {
            List<BadInput> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("//")) {
                    continue;
                }
                JsonNode n = JSON.readTree(line);
                out.add(new BadInput(n.path("name").stringValue(), n.path("code").intValue(), n));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A good ADD's configuration, which every entry bends. */
    static ObjectNode goodConfig() {
        return (ObjectNode) JSON.readTree("""
                {"cniVersion":"1.0.0","name":"corpus-net","type":"bridge",
                 "ipam":{"type":"whereabouts","datastore":"file","file":{"data_dir":"${DATA}"},
                         "attachments_dir":"${ATTACH}","range":"10.77.0.0/24","log_level":"error"}}""");
    }

    String command() {
        return spec.path("command").asString("ADD");
    }

    Map<String, String> env(String containerId) {
        Map<String, String> env = new HashMap<>(Plugin.env(command(), containerId));
        for (Map.Entry<String, JsonNode> e : spec.path("env").properties()) {
            if (e.getValue().isNull()) {
                env.remove(e.getKey());
            } else {
                env.put(e.getKey(), e.getValue().stringValue());
            }
        }
        return env;
    }

    byte[] stdin(Dirs dirs) {
        if (spec.has("stdinRaw")) {
            return spec.path("stdinRaw").stringValue().getBytes(StandardCharsets.UTF_8);
        }
        if (spec.has("stdinBase64")) {
            return Base64.getDecoder().decode(spec.path("stdinBase64").stringValue());
        }
        ObjectNode config = goodConfig();
        ObjectNode ipam = (ObjectNode) config.path("ipam");
        spec.path("top").properties().forEach(e -> config.set(e.getKey(), e.getValue()));
        spec.path("ipam").properties().forEach(e -> ipam.set(e.getKey(), e.getValue()));
        names(spec.path("drop")).forEachRemaining(config::remove);
        names(spec.path("dropIpam")).forEachRemaining(ipam::remove);
        if (spec.has("padBytes")) {
            config.put("pad", "x".repeat(spec.path("padBytes").intValue()));
        }
        byte[] text = dirs.substitute(JSON.writeValueAsString(config)).getBytes(StandardCharsets.UTF_8);
        if (!spec.has("appendBase64")) {
            return text;
        }
        var out = new ByteArrayOutputStream();
        out.writeBytes(text);
        out.writeBytes(Base64.getDecoder().decode(spec.path("appendBase64").stringValue()));
        return out.toByteArray();
    }

    private static Iterator<String> names(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.stringValue()));
        return out.iterator();
    }

    @Override
    public String toString() {
        return name + " -> " + code;
    }
}
