package dev.whereabouts.cni.launcher.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FramesTest {

    @Test
    void requestSurvivesTheWire() throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CNI_COMMAND", "ADD");
        env.put("CNI_ARGS", "K8S_POD_NAME=ü;IgnoreUnknown=1");
        byte[] stdin = "{\"name\":\"n\"}".getBytes(StandardCharsets.UTF_8);
        var pipe = new java.io.ByteArrayOutputStream();
        Frames.write(Channels.newChannel(pipe), Frames.encodeRequest(new Frames.Request(env, stdin)));
        var back = Frames.decodeRequest(Frames.read(
                Channels.newChannel(new java.io.ByteArrayInputStream(pipe.toByteArray()))));
        assertEquals(env, back.env());
        assertArrayEquals(stdin, back.stdin());
    }

    @Test
    void replySurvivesTheWire() throws IOException {
        var reply = new Frames.Reply(7, "out".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2});
        var back = Frames.decodeReply(Frames.encodeReply(reply));
        assertEquals(7, back.exitCode());
        assertArrayEquals(reply.stdout(), back.stdout());
        assertArrayEquals(reply.stderr(), back.stderr());
    }

    @Test
    void foreignBytesAreRefused() {
        assertThrows(IOException.class, () -> Frames.decodeRequest(new byte[] {0, 0, 0, 1, 0, 0, 0, 0}));
        var truncated = Channels.newChannel(new java.io.ByteArrayInputStream(new byte[] {0, 0, 0, 9, 1}));
        assertThrows(java.io.EOFException.class, () -> Frames.read(truncated));
        var huge = Channels.newChannel(new java.io.ByteArrayInputStream(new byte[] {0x7f, 0, 0, 0}));
        assertThrows(IOException.class, () -> Frames.read(huge));
    }
}
